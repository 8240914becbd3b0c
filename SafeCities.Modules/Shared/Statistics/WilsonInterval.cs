namespace SafeCities.Modules.Shared.Statistics;

/// <summary>
/// The Wilson score interval of a proportion (successes of n), 95 % by default: unlike p ± z·√(p(1−p)/n) it stays inside [0, 1] and is
/// honest for small n and for 0 or n successes, which monthly alert counts per source often are.
/// </summary>
public static class WilsonInterval
{
    public const double Z95 = 1.959963984540054;

    /// <returns>(low, high), or null when <paramref name="n"/> is 0.</returns>
    public static (double Low, double High)? Of(int successes, int n, double z = Z95)
    {
        if (n <= 0)
            return null;
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, n);
        var p = (double)successes / n;
        var z2 = z * z;
        var centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        var half = z / (1 + z2 / n) * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
