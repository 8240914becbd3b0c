namespace SafeCities.Modules.Intelligence.Analysis.Hotspots;

/// <summary>
/// Kernel density estimation (Chainey et al. 2008's strong baseline): a Gaussian of <paramref name="bandwidthMeters"/> on every event of
/// the trailing <paramref name="windowDays"/>, each integrated over the cells; the score is a density per m², so Σ score × cell area ≈ 1
/// over a grid large enough to hold the kernels.
/// </summary>
internal sealed class KdeModel(string name, double bandwidthMeters, double windowDays) : IHotspotModel
{
    public string Name => name;

    public CellForecast Forecast(EventSet events, double fromDay, double horizonDays) =>
        new(Surface(events, fromDay - windowDays, fromDay, bandwidthMeters));

    /// <summary>The normalised density of the events in [fromDay, toDay) (all zeros when there are none).</summary>
    public static double[] Surface(EventSet events, double fromDay, double toDay, double bandwidthMeters)
    {
        var grid = events.Grid;
        var score = new double[grid.CellCount];
        var lo = events.CountBefore(fromDay);
        var hi = events.CountBefore(toDay);
        if (hi <= lo)
            return score;
        var weight = 1.0 / ((hi - lo) * grid.CellArea);
        for (var i = lo; i < hi; i++)
            grid.AddGaussian(score, events.X[i], events.Y[i], bandwidthMeters, bandwidthMeters, weight);
        return score;
    }
}

/// <summary>The naive map: the number of events in each cell over the last <paramref name="days"/> days (28 for <c>naive28</c>).</summary>
internal sealed class NaiveCountModel(string name, double days) : IHotspotModel
{
    public string Name => name;

    public CellForecast Forecast(EventSet events, double fromDay, double horizonDays)
    {
        var score = new double[events.Grid.CellCount];
        var hi = events.CountBefore(fromDay);
        for (var i = events.CountBefore(fromDay - days); i < hi; i++)
            if (events.Cells[i] >= 0)
                score[events.Cells[i]]++;
        return new CellForecast(score);
    }
}
