using SafeCities.Modules.Intelligence.Contracts;

namespace SafeCities.Modules.Intelligence.Analysis.Hotspots;

/// <summary>The models the product and the benchmark run, with their settings in one place.</summary>
internal static class HotspotModels
{
    public const string Kde = HotspotModelNames.Kde;
    public const string Naive28 = HotspotModelNames.Naive28;
    public const string Sepp = HotspotModelNames.Sepp;

    public const string Ewc = HotspotModelNames.Ewc;
    public const string Mixture = HotspotModelNames.Mixture;

    /// <summary>
    /// The models and their settings. The settings were chosen on NYC motor-vehicle thefts of 2016 (trained on 2014–2015), never on the
    /// 2017 test year, and the KDE baseline got the same chance as the others (its bandwidth is the best of 50–200 m there): see
    /// docs/adr/0020-hotspot-models-and-scoring.md. The mixture fits its weights on the weeks before each forecast, scoring them at the
    /// same flagged <paramref name="share"/> as the forecast itself (docs/adr/0027-hotspot-mixture-model.md). What else was tried on the
    /// validation periods and did not beat the mixture on both (chronicity, per-forecast Poisson regression, bagged weights): ADR 0056;
    /// seasonal, rank-aggregated, shrunk and burst-swapped surfaces, and the finer weight grid under the one-standard-error rule that
    /// the mixture now uses: ADR 0060.
    /// </summary>
    public static IReadOnlyList<IHotspotModel> Standard(double cellMeters, double share) =>
    [
        new KdeModel(Kde, bandwidthMeters: cellMeters / 3, windowDays: 365),
        new NaiveCountModel(Naive28, days: 28),
        new SeppModel(Sepp, new SeppOptions(TrainingDays: 730, BackgroundBandwidthMeters: cellMeters / 5, MinSigmaMeters: cellMeters / 3)),
        new DecayedCountModel(Ewc, timeScaleDays: 365, windowDays: 1460),
        MixtureModel.Standard(Mixture, cellMeters, share),
    ];

    public static HotspotBacktestRunDto Backtest(IReadOnlyList<HotspotEventInput> input, DateTimeOffset testStart, int windows, TimeSpan horizon,
        double cellMeters, double share)
    {
        // The grid covers the events before the test period (padded), so no window's geometry depends on later events.
        var before = input.Where(e => e.At < testStart).ToList();
        var map = HotspotMap.Around((before.Count > 0 ? before : input).Select(e => (e.Latitude, e.Longitude)), cellMeters);
        // Events far from the city's median place (records geocoded to 0°, 0° or to another state) are not the city's: left out, counted.
        var inCity = input.Where(e => map.InCity(e.Latitude, e.Longitude)).ToList();
        var events = new EventSet(map.Plane, inCity.Select(e =>
        {
            var (x, y) = map.Project(e.Latitude, e.Longitude);
            return new PlaneEvent(EventSet.Day(e.At), x, y);
        }));
        var results = HotspotBacktest.Run(events, Standard(cellMeters, share), EventSet.Day(testStart), windows, horizon.TotalDays, share);
        return new HotspotBacktestRunDto(events.Count, input.Count - inCity.Count, map.Plane.Columns, map.Plane.Rows, cellMeters,
            [.. results.Select(r => new HotspotBacktestDto(r.Model, r.Windows.Count, r.MeanHitRate, r.MeanPai, r.MedianPai, r.MeanPei, r.MillisecondsPerWindow))]);
    }
}
