using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using SafeCities.Modules.Intelligence.Analysis;
using SafeCities.Modules.Intelligence.Analysis.Hotspots;
using SafeCities.Modules.Intelligence.Contracts;
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
            .AddHotspotForecasts(config)
            .AddIntelligenceAnalysis();

    public static IEndpointRouteBuilder MapIntelligenceModule(this IEndpointRouteBuilder app)
    {
        IntelligenceEndpoints.Map(app);
        AnalysisEndpoints.Map(app);
        return app;
    }

    /// <summary>
    /// The hotspot benchmark's engine: rolling weekly (or <paramref name="horizon"/>) windows from <paramref name="testStart"/>, every model
    /// trained only on the events before each window and scored at <paramref name="share"/> of the active cells (issue 11).
    /// </summary>
    public static HotspotBacktestRunDto BacktestHotspots(IReadOnlyList<HotspotEventInput> events, DateTimeOffset testStart, int windows,
        TimeSpan horizon, double cellMeters, double share) => HotspotModels.Backtest(events, testStart, windows, horizon, cellMeters, share);
}
