using SafeCities.Modules.Lighting.Contracts;
using SafeCities.Modules.Lighting.Data;
using SafeCities.Modules.Lighting.Domain;
using SafeCities.Modules.Shared.Devices;

namespace SafeCities.Modules.Lighting.Features;

/// <summary>Registers and lists streetlights for the platform's device registry; <c>settings</c> is a <see cref="StreetlightSettings"/>.</summary>
internal sealed class StreetlightDeviceKindHandler(ISender sender, LightingDbContext db) : IDeviceKindHandler
{
    public async Task<DeviceDto> RegisterAsync(DeviceRegistration device, DeviceSettings settings, CancellationToken ct) =>
        await sender.Send(new RegisterStreetlightCommand(device, settings.Read(new StreetlightSettings())), ct);

    public async Task<IReadOnlyList<DeviceDto>> ListAsync(string? kind, CancellationToken ct) => await sender.Send(new ListStreetlightsQuery(), ct);

    public async Task<DeviceDto?> EditAsync(DeviceRegistration device, CancellationToken ct) => (await db.EditDeviceAsync<Streetlight>(device, ct))?.ToDto();
}
