using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Domain;
using SafeCities.Modules.Shared.Devices;

namespace SafeCities.Modules.Plates.Features;

/// <summary>Registers and lists plate readers for the platform's device registry; <c>settings</c> is a <see cref="PlateReaderSettings"/>.</summary>
internal sealed class PlateReaderDeviceKindHandler(ISender sender, PlatesDbContext db) : IDeviceKindHandler
{
    public async Task<DeviceDto> RegisterAsync(DeviceRegistration device, DeviceSettings settings, CancellationToken ct) =>
        await sender.Send(new RegisterPlateReaderCommand(device, settings.Read(new PlateReaderSettings())), ct);

    public async Task<IReadOnlyList<DeviceDto>> ListAsync(string? kind, CancellationToken ct) => await sender.Send(new ListPlateReadersQuery(), ct);

    public async Task<DeviceDto?> EditAsync(DeviceRegistration device, CancellationToken ct) => (await db.EditDeviceAsync<PlateReader>(device, ct))?.ToDto();
}
