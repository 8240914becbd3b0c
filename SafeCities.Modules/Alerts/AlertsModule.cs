using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using SafeCities.Modules.Alerts.CitizenReports;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;
using SafeCities.Modules.Alerts.Features;
using SafeCities.Modules.Alerts.InboundCap;
using SafeCities.Modules.Alerts.PublicAlerts;
using SafeCities.Modules.Alerts.Realtime;
using SafeCities.Modules.Alerts.Subscribers;
using SafeCities.Modules.Shared.Jobs;
using SafeCities.Modules.Shared.Outbox;
using SafeCities.Modules.Shared.Persistence;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Alerts;

public static class AlertsModule
{
    public static IServiceCollection AddAlertsModule(this IServiceCollection services, IConfiguration config)
    {
        services.AddModuleDbContext<AlertsDbContext>(AlertsDbContext.Schema);
        services.AddOutbox<AlertsDbContext>(AlertsDbContext.Schema);
        services.Configure<AlertsOptions>(config.GetSection(AlertsOptions.Section));
        services.Configure<HitAlertOptions>(config.GetSection(HitAlertOptions.Section));
        services.AddScoped<OfficerLocator>();
        services.AddScoped<PurgeStaleOfficerPositionsJob>();
        services.AddScoped<IncidentBroadcaster>();
        services.AddScoped<IncidentLifecycle>();
        services.AddScoped<LateReactions>();
        services.AddScoped<HitConfirmationGate>();
        services.AddPublicAlerts(config);
        services.AddRecurringJob<PurgeStaleOfficerPositionsJob>("alerts:purge-stale-officer-positions", j => j.RunAsync(CancellationToken.None), "*/5 * * * *");
        services.AddCitizenReports(config);
        services.AddInboundCap();
        services.AddAlertSubscribers(config);
        return services;
    }

    public static IEndpointRouteBuilder MapAlertsModule(this IEndpointRouteBuilder app)
    {
        AlertsEndpoints.Map(app);
        ResponderEndpoints.Map(app);
        app.MapPublicAlerts();
        app.MapCitizenReports();
        app.MapInboundCap();
        // Every person role may connect; what each receives is decided by the hub's groups (staff see incidents; partners their notices).
        app.MapHub<IncidentsHub>("/hubs/incidents").RequireAuthorization(Policies.People);
        return app;
    }
}
