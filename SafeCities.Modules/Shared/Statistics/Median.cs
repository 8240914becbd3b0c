namespace SafeCities.Modules.Shared.Statistics;

/// <summary>The median of a sample: the middle value, or the mean of the two middle values of an even count; NaN for none.</summary>
public static class Median
{
    public static double Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
