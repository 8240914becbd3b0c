using SafeCities.Modules.Lighting.Contracts;
using SafeCities.Modules.Shared.Devices;

namespace SafeCities.Modules.Lighting.Features;

/// <summary>Registers and lists streetlights for the platform's device registry; <c>settings</c> is a <see cref="StreetlightSettings"/>.</summary>
internal sealed class StreetlightDeviceKindHandler(ISender sender) : IDeviceKindHandler
{
    public async Task<DeviceDto> RegisterAsync(DeviceRegistration device, DeviceSettings settings, CancellationToken ct) =>
        await sender.Send(new RegisterStreetlightCommand(device, settings.Read(new StreetlightSettings())), ct);

    public async Task<IReadOnlyList<DeviceDto>> ListAsync(string? kind, CancellationToken ct) => await sender.Send(new ListStreetlightsQuery(), ct);
}
