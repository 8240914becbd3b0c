using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SafeCities.Modules.Sensors.Contracts;
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
        var bursts = random.NextDouble() < 0.35 ? 2 : 1;
        for (var i = 0; i < bursts; i++)
        {
            var (blat, blon) = i == 0 ? (lat, lon) : GeoMath.Offset(lat, lon, random.Next(5, 60), random.Next(360));
            var result = await sender.Send(new ReportGunshotCommand(feed.Id, $"sim-{Guid.NewGuid():N}", clock.GetUtcNow(), blat, blon,
                random.Next(1, 9), "Simulated feed"), ct);
            logger.LogInformation("Simulated gunshot → incident {IncidentId}", result.IncidentId);
            if (i + 1 < bursts)
                await Task.Delay(TimeSpan.FromSeconds(4), clock, ct);
        }
    }
}
