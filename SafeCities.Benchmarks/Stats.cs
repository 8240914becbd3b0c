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

    /// <summary>The machine's 1-, 5- and 15-minute load averages (from /proc/loadavg; "?" where there is none): the other load beside a figure.</summary>
    public static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    public static string Summary(string label, IReadOnlyList<double> ms) => ms.Count == 0
        ? $"{label,-52} n=  0"
        : $"{label,-52} n={ms.Count,3}  p50 {Percentile(ms, 50),7:0.0} ms  p95 {Percentile(ms, 95),7:0.0} ms  p99 {Percentile(ms, 99),7:0.0} ms  max {ms.Max(),7:0.0} ms";
}
