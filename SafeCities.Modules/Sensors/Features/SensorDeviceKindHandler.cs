using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Modules.Shared.Devices;

namespace SafeCities.Modules.Sensors.Features;

/// <summary>Registers and lists Sensors' device kinds for the platform's device registry; sensors take no settings.</summary>
internal sealed class SensorDeviceKindHandler(ISender sender) : IDeviceKindHandler
{
    public async Task<DeviceDto> RegisterAsync(DeviceRegistration device, DeviceSettings settings, CancellationToken ct) =>
        await sender.Send(new RegisterSensorDeviceCommand(device), ct);

    public async Task<IReadOnlyList<DeviceDto>> ListAsync(string? kind, CancellationToken ct) => await sender.Send(new ListSensorDevicesQuery(kind), ct);
}
