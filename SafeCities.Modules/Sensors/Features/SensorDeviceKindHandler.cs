using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Modules.Sensors.Data;
using SafeCities.Modules.Sensors.Domain;
using SafeCities.Modules.Shared.Devices;

namespace SafeCities.Modules.Sensors.Features;

/// <summary>Registers and lists Sensors' device kinds for the platform's device registry; sensors take no settings.</summary>
internal sealed class SensorDeviceKindHandler(ISender sender, SensorsDbContext db) : IDeviceKindHandler
{
    public async Task<DeviceDto> RegisterAsync(DeviceRegistration device, DeviceSettings settings, CancellationToken ct) =>
        await sender.Send(new RegisterSensorDeviceCommand(device), ct);

    public async Task<IReadOnlyList<DeviceDto>> ListAsync(string? kind, CancellationToken ct) => await sender.Send(new ListSensorDevicesQuery(kind), ct);

    public async Task<DeviceDto?> EditAsync(DeviceRegistration device, CancellationToken ct) => (await db.EditDeviceAsync<SensorDevice>(device, ct))?.ToDto();
}
