namespace SafeCities.Benchmarks;

internal static class Stats
{
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
            return double.NaN;
        var rank = p / 100 * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }

    public static string Summary(string label, IReadOnlyList<double> ms) =>
        $"{label,-44} n={ms.Count,3}  median {Percentile(ms, 50),8:0.0} ms  p90 {Percentile(ms, 90),8:0.0} ms  p95 {Percentile(ms, 95),8:0.0} ms  max {ms.Max(),8:0.0} ms";
}
