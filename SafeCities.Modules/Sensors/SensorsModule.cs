using Hangfire;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SafeCities.Modules.Sensors.Data;
using SafeCities.Modules.Sensors.Demo;
using SafeCities.Modules.Sensors.Features;
using SafeCities.Modules.Sensors.Location;
using SafeCities.Modules.Shared.Jobs;
using SafeCities.Modules.Shared.Observability;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Sensors;

public static class SensorsModule
{
    public static IServiceCollection AddSensorsModule(this IServiceCollection services, IConfiguration config)
    {
        services.AddModuleDbContext<SensorsDbContext>(SensorsDbContext.Schema);
        services.Configure<SensorsOptions>(config.GetSection(SensorsOptions.Section));
        services.AddScoped<RedispatchGunshotsJob>();
        services.AddMetricsSource<SensorsMetrics>();
        // Detections whose reactions (incident, lights, cameras, readers) have not all run (sensors:redispatch re-publishes them).
        services.AddOutboxLag("sensors.detections", "sensors.detections", "received_at", "dispatched_at IS NULL");
        services.AddRecurringJob<RedispatchGunshotsJob>("sensors:redispatch", j => j.RunAsync(CancellationToken.None), Cron.Minutely());
        if (config.GetValue("Demo:Simulator:Enabled", false))
        {
            var interval = TimeSpan.FromSeconds(config.GetValue("Demo:Simulator:IntervalSeconds", 45));
            services.AddHostedService(sp => new GunshotSimulator(sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<TimeProvider>(),
                interval, sp.GetRequiredService<ILogger<GunshotSimulator>>()));
        }
        return services;
    }

    public static IEndpointRouteBuilder MapSensorsModule(this IEndpointRouteBuilder app)
    {
        SensorsEndpoints.Map(app);
        return app;
    }

    /// <summary>
    /// The <c>locate</c> benchmark's way in (SafeCities.Benchmarks sees only public types): multilateration of every shot in a ShotSpotter-format
    /// pulse table <paramref name="inputPath"/>, estimates written to <paramref name="outputPath"/>, the error against the survey reported.
    /// </summary>
    public static int LocateShotRecording(string inputPath, string outputPath, double? temperatureCelsius, TextWriter report) =>
        ShotRecordingLocator.Locate(inputPath, outputPath, temperatureCelsius, report);
}
