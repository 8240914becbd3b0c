namespace SafeCities.Modules.Sensors.Location;

internal static class SampleStatistics
{
    /// <summary>Median of the values (NaN when empty); reorders them in place (quickselect, O(n)).</summary>
    public static double MedianInPlace(Span<double> values)
    {
        var n = values.Length;
        if (n == 0)
        {
            return double.NaN;
        }

        var upper = SelectInPlace(values, n / 2);
        if (n % 2 == 1)
        {
            return upper;
        }

        // After selection every value left of n/2 is ≤ the upper median, so the lower median is their maximum.
        var lower = double.NegativeInfinity;
        foreach (var value in values[..(n / 2)])
        {
            lower = Math.Max(lower, value);
        }

        return 0.5 * (lower + upper);
    }

    /// <summary>The k-th smallest value (0-based); partially reorders the span (Hoare quickselect, middle pivot).</summary>
    public static double SelectInPlace(Span<double> values, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(k, values.Length);
        int left = 0, right = values.Length - 1;
        while (left < right)
        {
            var pivot = values[left + ((right - left) / 2)];
            int i = left, j = right;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                break;
            }
        }

        return values[k];
    }

    /// <summary>Percentile of sorted values with linear interpolation between order statistics (Hyndman–Fan type 7).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double fraction)
    {
        ArgumentOutOfRangeException.ThrowIfZero(sorted.Count);
        var position = Math.Clamp(fraction, 0.0, 1.0) * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }
}
