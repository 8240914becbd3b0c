using Hangfire;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Modules.Sensors.Data;
using SafeCities.Modules.Sensors.Demo;
using SafeCities.Modules.Sensors.Environment;
using SafeCities.Modules.Sensors.Features;
using SafeCities.Modules.Sensors.Location;
using SafeCities.Modules.Sensors.SensorThings;
using SafeCities.Modules.Shared.Caching;
using SafeCities.Modules.Shared.Devices;
using SafeCities.Modules.Shared.Jobs;
using SafeCities.Modules.Shared.Observability;
using SafeCities.Modules.Shared.Outbox;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Sensors;

/// <summary>
/// Gunshot reports are composed by the host with Alerts' answer (SafeCities.Web/Composition/DeviceReports.cs); environmental readings
/// have their own endpoint and MQTT.
/// </summary>
public static class SensorsModule
{
    public static IServiceCollection AddSensorsModule(this IServiceCollection services, IConfiguration config)
    {
        services.AddModuleDbContext<SensorsDbContext>(SensorsDbContext.Schema);
        services.AddDeviceKinds<SensorDeviceKindHandler>(SensorDeviceKinds.All.ToArray());
        services.AddDevicePolicy(SensorDeviceKinds.GunshotDevicesPolicy, SensorDeviceKinds.AcousticSensor, SensorDeviceKinds.GunshotFeed);
        services.AddDevicePolicy(SensorDeviceKinds.AcousticSensorsPolicy, SensorDeviceKinds.AcousticSensor);
        services.AddDevicePolicy(SensorDeviceKinds.EnvironmentalSensorsPolicy, SensorDeviceKinds.EnvironmentalSensor);
        services.AddSingleton<SensorReadingPartitions>();
        services.AddCacheInvalidation();
        services.AddSingleton<ThresholdRuleCache>();
        services.Configure<MqttOptions>(config.GetSection(MqttOptions.Section));
        services.AddHostedService<MqttReadingsServer>();
        services.AddScoped<ReadingPartitionsJob>();
        services.AddScoped<IStartupTask>(sp => sp.GetRequiredService<ReadingPartitionsJob>());
        services.AddRecurringJob<ReadingPartitionsJob>("sensors:readings", j => j.RunAsync(CancellationToken.None), Cron.Hourly());
        services.Configure<SensorsOptions>(config.GetSection(SensorsOptions.Section));
        services.AddOutbox<SensorsDbContext>(SensorsDbContext.Schema);
        services.AddScoped<GunshotOutbox>();
        services.AddMetricsSource<SensorsMetrics>();
        if (config.GetValue("Demo:Simulator:Enabled", false))
        {
            var interval = TimeSpan.FromSeconds(config.GetValue("Demo:Simulator:IntervalSeconds", 45));
            services.AddHostedService(sp => new GunshotSimulator(sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<TimeProvider>(),
                interval, sp.GetRequiredService<ILogger<GunshotSimulator>>()));
            services.AddHostedService<EnvironmentSimulator>();
        }
        return services;
    }

    public static IEndpointRouteBuilder MapSensorsModule(this IEndpointRouteBuilder app)
    {
        ReadingsEndpoints.Map(app);
        RuleEndpoints.Map(app);
        SensorThingsApi.Map(app);
        return app;
    }

    /// <summary>
    /// The <c>locate</c> benchmark's way in (SafeCities.Benchmarks sees only public types): multilateration of every shot in a ShotSpotter-format
    /// pulse table <paramref name="inputPath"/>, estimates written to <paramref name="outputPath"/>, the error against the survey reported.
    /// </summary>
    public static int LocateShotRecording(string inputPath, string outputPath, double? temperatureCelsius, TextWriter report) =>
        ShotRecordingLocator.Locate(inputPath, outputPath, temperatureCelsius, report);
}
