using SafeCities.Modules.Intelligence.Analysis.Trends;
using SafeCities.Modules.Shared.Jobs;

namespace SafeCities.Modules.Intelligence.Analysis;

internal static class AnalysisSetup
{
    /// <summary>The analyses' event source and options, and the hourly spike check (<c>intelligence:detect-spikes</c>).</summary>
    public static IServiceCollection AddIntelligenceAnalysis(this IServiceCollection services) =>
        services.AddSingleton<AnalysisOptions>()
            .AddScoped<DistrictLocator>()
            .AddScoped<AnalysisEventSource>()
            .AddScoped<DetectCrimeSpikesJob>()
            .AddRecurringJob<DetectCrimeSpikesJob>("intelligence:detect-spikes", j => j.RunAsync(CancellationToken.None), "7 * * * *");
}
