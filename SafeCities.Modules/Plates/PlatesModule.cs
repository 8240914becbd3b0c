using Hangfire;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Features;
using SafeCities.Modules.Shared.Caching;
using SafeCities.Modules.Shared.Devices;
using SafeCities.Modules.Shared.Jobs;
using SafeCities.Modules.Shared.Observability;
using SafeCities.Modules.Shared.Outbox;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Plates;

public static class PlatesModule
{
    public static IServiceCollection AddPlatesModule(this IServiceCollection services, IConfiguration config)
    {
        services.AddModuleDbContext<PlatesDbContext>(PlatesDbContext.Schema);
        services.AddOutbox<PlatesDbContext>(PlatesDbContext.Schema);
        services.AddDeviceKinds<PlateReaderDeviceKindHandler>(PlatesDeviceKinds.PlateReader);
        services.AddDevicePolicy(PlatesDeviceKinds.PlateReaderDevicesPolicy, PlatesDeviceKinds.PlateReader);
        services.Configure<PlatesOptions>(config.GetSection(PlatesOptions.Section));
        services.AddCacheInvalidation();
        services.AddSingleton<PlatesSettingsStore>();
        // Stateless, their rules built once, not for every batch (the scan registers them scoped; ADR 0057).
        services.AddSingleton<IncomingPlateReadValidator>();
        services.Replace(ServiceDescriptor.Singleton<IValidator<IngestPlateReadsCommand>, IngestPlateReadsCommandValidator>());
        services.AddScoped<AgencyPlateReads>();   // ADR 0051
        services.AddSingleton<PlateReadPartitions>();
        services.AddSingleton<PlateIngestionGate>();
        services.AddSingleton<RecentPlateReads>();
        services.AddSingleton<PlateIngestionDataSource>();
        services.AddMetricsSource<PlatesMetrics>();
        services.AddScoped<MaintainPlateReadPartitionsJob>();
        services.AddScoped<PlateReadRetentionJob>();
        services.AddScoped<IStartupTask>(sp => sp.GetRequiredService<MaintainPlateReadPartitionsJob>());
        services.Configure<HotlistOptions>(config.GetSection(HotlistOptions.Section));
        services.AddSingleton<HotlistMatcherCache>();
        services.AddScoped<HotlistHitRecorder>();
        services.AddScoped<RetroactiveHotlistCheck>();
        services.AddScoped<HotlistReplacer>();
        services.AddScoped<HitsRetentionJob>();
        services.AddScoped<AutomaticColocationJob>();
        services.AddRecurringJob<MaintainPlateReadPartitionsJob>("plates:partitions", j => j.RunAsync(CancellationToken.None), Cron.Hourly());
        services.AddRecurringJob<PlateReadRetentionJob>("plates:retention", j => j.RunAsync(CancellationToken.None), Cron.Daily(3));
        services.AddRecurringJob<HitsRetentionJob>("plates:hits-retention", j => j.RunAsync(CancellationToken.None), Cron.Daily(3, 30));
        return services;
    }

    public static IEndpointRouteBuilder MapPlatesModule(this IEndpointRouteBuilder app)
    {
        PlatesEndpoints.Map(app);
        return app;
    }
}
