namespace SafeCities.Modules.Intelligence.Analysis.Hotspots;

/// <summary>
/// Counts per cell with each event weighted by e^(−age/τ) (<paramref name="timeScaleDays"/> = τ), over the last
/// <paramref name="windowDays"/>: the long-term places that keep producing events, with the recent ones weighing a little more.
/// </summary>
internal sealed class DecayedCountModel(string name, double timeScaleDays, double windowDays) : IHotspotModel
{
    public string Name => name;

    public CellForecast Forecast(EventSet events, double fromDay, double horizonDays)
    {
        var score = new double[events.Grid.CellCount];
        var hi = events.CountBefore(fromDay);
        for (var i = events.CountBefore(fromDay - windowDays); i < hi; i++)
            if (events.Cells[i] >= 0)
                score[events.Cells[i]] += Math.Exp(-(fromDay - events.Days[i]) / timeScaleDays);
        return new CellForecast(score);
    }
}
