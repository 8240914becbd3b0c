using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using SafeCities.Modules.Intelligence.Analysis;
using SafeCities.Modules.Intelligence.Data;
using SafeCities.Modules.Intelligence.Features;
using SafeCities.Modules.Intelligence.Resolution;
using SafeCities.Modules.Shared.Outbox;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Intelligence;

public static class IntelligenceModule
{
    public static IServiceCollection AddIntelligenceModule(this IServiceCollection services, IConfiguration config) =>
        services.AddModuleDbContext<IntelligenceDbContext>(IntelligenceDbContext.Schema)
            .AddScoped<PersonResolver>()
            .AddScoped<RecordReactions>()
            .AddOutbox<IntelligenceDbContext>(IntelligenceDbContext.Schema)
            .AddIntelligenceAnalysis();

    public static IEndpointRouteBuilder MapIntelligenceModule(this IEndpointRouteBuilder app)
    {
        IntelligenceEndpoints.Map(app);
        AnalysisEndpoints.Map(app);
        return app;
    }
}
