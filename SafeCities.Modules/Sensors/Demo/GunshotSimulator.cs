using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Modules.Shared.Devices;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Sensors.Demo;

/// <summary>
/// Demo city only (switch: <c>Demo:Simulator:Enabled</c>): now and then a simulated external feed reports gunfire near one of the
/// acoustic sensors, through the same command a real device's alert goes through; sometimes a second burst follows nearby.
/// </summary>
internal sealed class GunshotSimulator(IServiceScopeFactory scopes, TimeProvider clock, TimeSpan interval, ILogger<GunshotSimulator> logger)
    : BackgroundService
{
    private readonly Random random = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(8), clock, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await FireAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Gunshot simulator could not fire");
            }
            await Task.Delay(interval, clock, stoppingToken);
        }
    }

    /// <summary>The acoustic sensors within 1.5 km hear the shot; each reports its pulse (with a little timing noise), nearest first.</summary>
    private async Task FirePulsesAsync(ISender sender, List<DeviceDto> sensors, double lat, double lon, CancellationToken ct)
    {
        var c = Location.SpeedOfSound.FromTemperature(Location.SpeedOfSound.DefaultTemperatureCelsius);
        var fired = clock.GetUtcNow().AddSeconds(-1);
        var shot = Guid.NewGuid().ToString("N")[..8];
        var hearing = sensors.Select(s => (Sensor: s, Meters: GeoMath.DistanceMeters(lat, lon, s.Latitude, s.Longitude)))
            .Where(x => x.Meters < 1500).OrderBy(x => x.Meters).ToList();
        foreach (var (sensor, meters) in hearing)
        {
            var arrival = fired + TimeSpan.FromSeconds(meters / c + random.NextDouble() * 0.002);
            var result = await sender.Send(new ReportPulsesCommand(sensor.Id, [new PulseReport($"sim-{shot}-{sensor.Id:N}", arrival, 20 + random.Next(15))]), ct);
            foreach (var located in result.Located)
                logger.LogInformation("Simulated pulses located a shot ±{Uncertainty:0.0} m → detection {DetectionId}", located.UncertaintyMeters, located.DetectionId);
        }
    }

    private async Task FireAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();
        var devices = await sender.Send(new ListSensorDevicesQuery(), ct);
        var feed = devices.FirstOrDefault(d => d.Kind == DeviceKinds.GunshotFeed);
        var sensors = devices.Where(d => d.Kind == DeviceKinds.AcousticSensor).ToList();
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
            var result = await sender.Send(new ReportGunshotCommand(feed.Id, $"sim-{Guid.NewGuid():N}", clock.GetUtcNow(), blat, blon,
                random.Next(1, 9), "Simulated feed"), ct);
            logger.LogInformation("Simulated gunshot → detection {DetectionId}", result.DetectionId);
            if (i + 1 < bursts)
                await Task.Delay(TimeSpan.FromSeconds(4), clock, ct);
        }
    }
}
