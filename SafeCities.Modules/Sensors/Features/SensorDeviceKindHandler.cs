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

    /// <summary>A sensor is heard when it reports a gunshot or an environmental reading (<c>last_seen_at</c>) or a raw pulse; sensors send no
    /// heartbeat, and report no errors.</summary>
    public async Task<IReadOnlyList<DeviceHeardDto>> HealthAsync(string? kind, CancellationToken ct)
    {
        var devices = await db.Devices.AsNoTracking().Where(d => kind == null || d.Kind == kind)
            .Select(d => new { d.Id, d.Kind, d.Name, d.RegisteredAt, d.LastSeenAt, LastPulse = db.Pulses.Where(p => p.DeviceId == d.Id).Max(p => (DateTimeOffset?)p.ReceivedAt) })
            .ToListAsync(ct);
        return devices.Select(d => d.LastPulse > (d.LastSeenAt ?? DateTimeOffset.MinValue)
                ? new DeviceHeardDto(d.Id, d.Kind, d.Name, d.RegisteredAt, d.LastPulse, "pulse", null, null, false)
                : new DeviceHeardDto(d.Id, d.Kind, d.Name, d.RegisteredAt, d.LastSeenAt, d.LastSeenAt is null ? null : HeardAs(d.Kind), null, null, false))
            .ToList();
    }

    private static string HeardAs(string kind) => kind == SensorDeviceKinds.EnvironmentalSensor ? "reading" : "gunshot report";

    /// <summary>Acoustic sensors and feeds speak on gunshots (no heartbeat yet): late after 12 h, silent after 48 h. Environmental sensors report
    /// every few minutes: late after 15 min, silent after an hour.</summary>
    public DeviceSilence? ExpectedSilence(string kind) => kind == SensorDeviceKinds.EnvironmentalSensor
        ? new DeviceSilence(TimeSpan.FromMinutes(15), TimeSpan.FromHours(1))
        : new DeviceSilence(TimeSpan.FromHours(12), TimeSpan.FromHours(48));
}
