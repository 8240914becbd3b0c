using Microsoft.Extensions.Configuration;
using SafeCities.Modules.Intelligence.Contracts;

namespace SafeCities.Modules.Platform.Demo;

/// <summary>
/// Once, after the demo's history is seeded (a Hangfire job, so a restart finishes it): the hotspot job's half-hourly runs of the last
/// <c>Demo:ForecastBackfillDays</c> (28) replayed, each as of its own time — so each shift's forecast is made from what was known before it and scored once it
/// ended, exactly as the recurring job would have done had the demo been running — then one run now. The hotspot page then opens with a
/// forecast for the shift and four weeks of scores against the baselines.
/// </summary>
internal sealed class DemoForecastBackfill(ISender sender, TimeProvider clock, IConfiguration config, ILogger<DemoForecastBackfill> logger)
{
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(30);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var span = TimeSpan.FromDays(Math.Clamp(config.GetValue("Demo:ForecastBackfillDays", 28), 1, 365));
        var now = clock.GetUtcNow();
        var from = now - span;
        var (made, scored) = (0, 0);
        for (var at = from.AddTicks(-(from.UtcTicks % Step.Ticks)); at < now; at += Step)
        {
            var run = await sender.Send(new RunHotspotForecastsCommand(at), cancellationToken);
            (made, scored) = (made + run.ForecastsMade, scored + run.ForecastsScored);
            if (run.ForecastsMade > 0)
                logger.LogInformation("Demo forecasts: the shift from {Start:u} forecast ({Done:P0} of the replay)", run.NextShiftStart, (at - from) / span);
        }
        var last = await sender.Send(new RunHotspotForecastsCommand(), cancellationToken);
        logger.LogInformation("Demo forecasts replayed over {Days} days: {Made} forecasts made, {Scored} scored", span.TotalDays, made + last.ForecastsMade,
            scored + last.ForecastsScored);
    }
}
