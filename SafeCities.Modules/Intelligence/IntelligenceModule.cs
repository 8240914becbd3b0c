using Hangfire;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SafeCities.Modules.Intelligence.Data;
using SafeCities.Modules.Intelligence.Features;
using SafeCities.Modules.Intelligence.Resolution;
using SafeCities.Modules.Shared.Jobs;
using SafeCities.Modules.Shared.Observability;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Intelligence;

public static class IntelligenceModule
{
    public static IServiceCollection AddIntelligenceModule(this IServiceCollection services, IConfiguration config) =>
        services.AddModuleDbContext<IntelligenceDbContext>(IntelligenceDbContext.Schema)
            .AddScoped<PersonResolver>()
            .AddScoped<RecordReactions>()
            .AddScoped<RedispatchReleaseNotificationsJob>()
            // Release notices to officers not yet published (intelligence:redispatch-releases re-sends them).
            .AddOutboxLag("intelligence.release_notifications", "intelligence.release_notifications", "created_at", "dispatched_at IS NULL")
            .AddRecurringJob<RedispatchReleaseNotificationsJob>(RedispatchReleaseNotificationsJob.Id, j => j.RunAsync(CancellationToken.None), Cron.Minutely());

    public static IEndpointRouteBuilder MapIntelligenceModule(this IEndpointRouteBuilder app)
    {
        IntelligenceEndpoints.Map(app);
        return app;
    }
}
