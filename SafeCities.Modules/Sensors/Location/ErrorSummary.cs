namespace SafeCities.Modules.Sensors.Location;

/// <summary>Distribution of horizontal location errors (metres) over a set of shots.</summary>
internal sealed record ErrorSummary(int Count, double Median, double P90, double Max, double ShareWithin25Meters)
{
    public static ErrorSummary From(IEnumerable<double> errors)
    {
        var sorted = errors.ToArray();
        if (sorted.Length == 0)
        {
            return new ErrorSummary(0, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        Array.Sort(sorted);
        var within = sorted.Count(e => e <= 25.0) / (double)sorted.Length;
        return new ErrorSummary(
            sorted.Length,
            SampleStatistics.Percentile(sorted, 0.5),
            SampleStatistics.Percentile(sorted, 0.9),
            sorted[^1],
            within);
    }
}
