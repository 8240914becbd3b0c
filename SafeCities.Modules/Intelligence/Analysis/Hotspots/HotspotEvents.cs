namespace SafeCities.Modules.Intelligence.Analysis.Hotspots;

/// <summary>One event for the estimators: when and where (plane metres of a <see cref="PlaneGrid"/>).</summary>
internal readonly record struct PlaneEvent(double Day, double X, double Y);

/// <summary>
/// Events sorted by time, with their cells. Times are days (any origin; <see cref="Day"/> converts instants to days since the Unix epoch).
/// Every model reads only events strictly before the forecast instant (<see cref="CountBefore"/>), so handing it a set that also holds later
/// events changes nothing (HotspotEstimatorTests proves it).
/// </summary>
internal sealed class EventSet
{
    public EventSet(PlaneGrid grid, IEnumerable<PlaneEvent> events)
    {
        Grid = grid;
        var sorted = events.OrderBy(e => e.Day).ThenBy(e => e.X).ThenBy(e => e.Y).ToArray();
        Days = new double[sorted.Length];
        X = new double[sorted.Length];
        Y = new double[sorted.Length];
        Cells = new int[sorted.Length];
        for (var i = 0; i < sorted.Length; i++)
        {
            (Days[i], X[i], Y[i]) = (sorted[i].Day, sorted[i].X, sorted[i].Y);
            Cells[i] = grid.CellAt(X[i], Y[i]);
        }
    }

    public PlaneGrid Grid { get; }
    public double[] Days { get; }
    public double[] X { get; }
    public double[] Y { get; }
    /// <summary>-1 for an event outside the grid (it counts in a window's N but no cell can capture it).</summary>
    public int[] Cells { get; }
    public int Count => Days.Length;

    public static double Day(DateTimeOffset at) => at.ToUnixTimeMilliseconds() / 86_400_000.0;

    /// <summary>The number of events strictly before <paramref name="day"/> (the index of the first one at or after it).</summary>
    public int CountBefore(double day)
    {
        int lo = 0, hi = Days.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (Days[mid] < day)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    }
}

/// <summary>A forecast: a score per cell (higher = flag first); for a point process also its split into background and recent-event parts.</summary>
internal sealed record CellForecast(double[] Score, double[]? Background = null, double[]? Triggered = null);

/// <summary>A hotspot estimator: scores the cells for the window [from, from + horizon) from the events strictly before <c>from</c>.</summary>
internal interface IHotspotModel
{
    string Name { get; }

    CellForecast Forecast(EventSet events, double fromDay, double horizonDays);
}
