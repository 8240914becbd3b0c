using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Modules.Shared.Demo;
using SafeCities.Modules.Shared.Devices;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Modules.Sensors.Demo;

/// <summary>
/// Demo city only (switch: <c>Demo:Simulator:Enabled</c>): now and then a simulated external feed reports gunfire near one of the
/// acoustic sensors, through the same command a real device's alert goes through; sometimes a second burst follows nearby.
/// </summary>
internal sealed class GunshotSimulator(IServiceScopeFactory scopes, TimeProvider clock, TimeSpan interval, ILogger<GunshotSimulator> logger)
    : DemoSimulator(scopes, clock, logger)
{
    private readonly Random random = new();

    protected override TimeSpan FirstDelay => TimeSpan.FromSeconds(8);

    protected override TimeSpan Interval => interval;

    /// <summary>The acoustic sensors within 1.5 km hear the shot; each reports its pulse (with a little timing noise), nearest first.</summary>
    private async Task FirePulsesAsync(ISender sender, List<DeviceDto> sensors, double lat, double lon, CancellationToken ct)
    {
        var c = Location.SpeedOfSound.FromTemperature(Location.SpeedOfSound.DefaultTemperatureCelsius);
        var fired = Clock.GetUtcNow().AddSeconds(-1);
        var shot = Guid.NewGuid().ToString("N")[..8];
        var hearing = sensors.Select(s => (Sensor: s, Meters: GeoMath.DistanceMeters(lat, lon, s.Latitude, s.Longitude)))
            .Where(x => x.Meters < 1500).OrderBy(x => x.Meters).ToList();
        foreach (var (sensor, meters) in hearing)
        {
            var arrival = fired + TimeSpan.FromSeconds(meters / c + random.NextDouble() * 0.002);
            var result = await sender.Send(new ReportPulsesCommand(sensor.Id, [new PulseReport($"sim-{shot}-{sensor.Id:N}", arrival, 20 + random.Next(15))]), ct);
            foreach (var located in result.Located)
                Logger.LogInformation("Simulated pulses located a shot ±{Uncertainty:0.0} m → detection {DetectionId}", located.UncertaintyMeters, located.DetectionId);
        }
    }

    protected override async Task TickAsync(ISender sender, CancellationToken ct)
    {
        var devices = await sender.Send(new ListSensorDevicesQuery(), ct);
        var feed = devices.FirstOrDefault(d => d.Kind == SensorDeviceKinds.GunshotFeed);
        var sensors = devices.Where(d => d.Kind == SensorDeviceKinds.AcousticSensor).ToList();
        if (feed is null || sensors.Count == 0)
            return;
        var near = sensors[random.Next(sensors.Count)];
        var (lat, lon) = GeoMath.Offset(near.Latitude, near.Longitude, random.Next(20, 350), random.Next(360));
        if (random.NextDouble() < 0.5)
        {
            await FirePulsesAsync(sender, sensors, lat, lon, ct);
            return;
        }
        var bursts = random.NextDouble() < 0.35 ? 2 : 1;
        for (var i = 0; i < bursts; i++)
        {
            var (blat, blon) = i == 0 ? (lat, lon) : GeoMath.Offset(lat, lon, random.Next(5, 60), random.Next(360));
            var result = await sender.Send(new ReportGunshotCommand(feed.Id, $"sim-{Guid.NewGuid():N}", Clock.GetUtcNow(), blat, blon,
                random.Next(1, 9), "Simulated feed"), ct);
            Logger.LogInformation("Simulated gunshot → detection {DetectionId}", result.DetectionId);
            if (i + 1 < bursts)
                await Task.Delay(TimeSpan.FromSeconds(4), Clock, ct);
        }
    }
}
