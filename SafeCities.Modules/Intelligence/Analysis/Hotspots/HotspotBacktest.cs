using SafeCities.Modules.Shared.Statistics;
using System.Diagnostics;

namespace SafeCities.Modules.Intelligence.Analysis.Hotspots;

/// <summary>One model's scores over a backtest: the mean hit rate, mean and median PAI, mean PEI, and the mean time per forecast.</summary>
internal sealed record ModelBacktest(string Model, IReadOnlyList<HotspotScore> Windows, double MillisecondsPerWindow)
{
    public double MeanHitRate => Windows.Count == 0 ? double.NaN : Windows.Average(w => w.HitRate);
    public double MeanPai => Windows.Count == 0 ? double.NaN : Windows.Average(w => w.Pai);
    public double MedianPai => Median.Of(Windows.Select(w => w.Pai));
    public double MeanPei => Windows.Count == 0 ? double.NaN : Windows.Average(w => w.Pei);
}

/// <summary>
/// Rolling-origin evaluation: for each window [start + k·horizon, start + (k+1)·horizon) every model forecasts from the events before the
/// window (models read nothing at or after their forecast instant) and is scored against the window's events.
/// </summary>
internal static class HotspotBacktest
{
    public static IReadOnlyList<ModelBacktest> Run(EventSet events, IReadOnlyList<IHotspotModel> models, double startDay, int windows, double horizonDays, double share)
    {
        var results = new List<ModelBacktest>();
        foreach (var model in models)
        {
            var scores = new List<HotspotScore>();
            var watch = new Stopwatch();
            for (var k = 0; k < windows; k++)
            {
                var from = startDay + k * horizonDays;
                watch.Start();
                var forecast = model.Forecast(events, from, horizonDays);
                watch.Stop();
                if (HotspotScoring.Score(forecast.Score, HotspotScoring.WindowCells(events, from, horizonDays), HotspotScoring.ActiveCells(events, from), share) is { } score)
                    scores.Add(score);
            }
            results.Add(new ModelBacktest(model.Name, scores, windows == 0 ? 0 : watch.Elapsed.TotalMilliseconds / windows));
        }
        return results;
    }
}
