using Hangfire;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using SafeCities.Modules.Lighting.Contracts;
using SafeCities.Modules.Lighting.Data;
using SafeCities.Modules.Lighting.Drivers;
using SafeCities.Modules.Lighting.Features;
using SafeCities.Modules.Shared.Devices;
using SafeCities.Modules.Shared.Jobs;
using SafeCities.Modules.Shared.Outbox;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Lighting;

public static class LightingModule
{
    public static IServiceCollection AddLightingModule(this IServiceCollection services, IConfiguration config)
    {
        services.AddModuleDbContext<LightingDbContext>(LightingDbContext.Schema);
        services.AddOutbox<LightingDbContext>(LightingDbContext.Schema);
        services.AddDeviceKinds<StreetlightDeviceKindHandler>(LightingDeviceKinds.Streetlight);
        services.AddDevicePolicy(LightingDeviceKinds.StreetlightDevicesPolicy, LightingDeviceKinds.Streetlight);
        services.Configure<LightingDriverOptions>(config.GetSection(LightingDriverOptions.Section));
        services.AddSingleton<SimulatedStreetlightController>();
        services.AddSingleton<IStreetlightController>(sp => sp.GetRequiredService<SimulatedStreetlightController>());
        services.AddScoped<LevelCommands>();
        services.AddScoped<RestoreLightsJob>();
        services.AddScoped<RestoreOverdueLightsJob>();
        services.AddRecurringJob<RestoreOverdueLightsJob>("lighting:restore-overdue", j => j.RunAsync(CancellationToken.None), Cron.Minutely());
        return services;
    }

    public static IEndpointRouteBuilder MapLightingModule(this IEndpointRouteBuilder app)
    {
        LightingEndpoints.Map(app);
        return app;
    }
}
