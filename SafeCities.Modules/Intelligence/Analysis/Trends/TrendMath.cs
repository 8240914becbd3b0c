namespace SafeCities.Modules.Intelligence.Analysis.Trends;

/// <summary>Counts over the last 7 days against the 7 days before and the same 7 days 52 weeks earlier (weekdays aligned).</summary>
internal sealed record TrendChange(string District, string Type, int ThisWeek, int LastWeek, int YearAgo)
{
    public double? WeekOverWeek => LastWeek == 0 ? null : (ThisWeek - LastWeek) / (double)LastWeek;
    public double? YearOverYear => YearAgo == 0 ? null : (ThisWeek - YearAgo) / (double)YearAgo;
}

/// <summary>A (district, type) whose count over the last 24 hours is unusually high against its own 28-day baseline.</summary>
/// <param name="Model">"poisson" or "negative-binomial" (chosen per cell: NB when the daily counts' variance exceeds 1.5 × their mean).</param>
internal sealed record TrendSpike(string District, string Type, int Count, double BaselinePerDay, double Variance, string Model, double PValue);

/// <summary>The arithmetic of the trend page and the spike job: pure, no I/O, times already in the city's zone where it matters.</summary>
internal static class TrendMath
{
    public const int BaselineDays = 28;

    /// <summary>[day of week (0 = Monday), hour 0–23] counts, in the city's time zone.</summary>
    public static int[,] HourByWeekday(IEnumerable<AnalysisEvent> events, TimeZoneInfo zone)
    {
        var table = new int[7, 24];
        foreach (var e in events)
        {
            var local = TimeZoneInfo.ConvertTime(e.At, zone);
            table[((int)local.DayOfWeek + 6) % 7, local.Hour]++;
        }
        return table;
    }

    public static IReadOnlyList<TrendChange> Changes(IReadOnlyList<AnalysisEvent> events, DateTimeOffset now)
    {
        var week = TimeSpan.FromDays(7);
        return events.GroupBy(e => (e.District, e.Type)).Select(g => new TrendChange(g.Key.District, g.Key.Type,
                g.Count(e => e.At > now - week && e.At <= now),
                g.Count(e => e.At > now - 2 * week && e.At <= now - week),
                g.Count(e => e.At > now - 53 * week && e.At <= now - 52 * week)))
            .OrderBy(c => c.District, StringComparer.Ordinal).ThenBy(c => c.Type, StringComparer.Ordinal).ToList();
    }

    /// <summary>Weekly counts per type for the <paramref name="weeks"/> weeks ending at <paramref name="now"/> (oldest first).</summary>
    public static IReadOnlyDictionary<string, int[]> Weekly(IEnumerable<AnalysisEvent> events, DateTimeOffset now, int weeks)
    {
        var series = new SortedDictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            var back = (int)Math.Floor((now - e.At).TotalDays / 7);
            if (e.At > now || back >= weeks)
                continue;
            if (!series.TryGetValue(e.Type, out var counts))
                series[e.Type] = counts = new int[weeks];
            counts[weeks - 1 - back]++;
        }
        return series;
    }

    /// <summary>
    /// Spikes at <paramref name="now"/>: for every (district, type), the count in the last 24 hours against the 28 preceding days' daily
    /// counts. The tail P(X ≥ count) comes from a Poisson with the baseline mean, or from a negative binomial fitted by moments when the
    /// daily counts are overdispersed (variance &gt; 1.5 × mean). A spike needs at least <paramref name="minimumCount"/> events and a tail
    /// probability below <paramref name="alpha"/>.
    /// </summary>
    public static IReadOnlyList<TrendSpike> Spikes(IReadOnlyList<AnalysisEvent> events, DateTimeOffset now, double alpha, int minimumCount)
    {
        var spikes = new List<TrendSpike>();
        foreach (var g in events.GroupBy(e => (e.District, e.Type)))
        {
            var daily = new int[BaselineDays];
            var count = 0;
            foreach (var e in g)
            {
                var age = (now - e.At).TotalDays;
                if (age < 0)
                    continue;
                if (age < 1)
                    count++;
                else if (age < 1 + BaselineDays)
                    daily[(int)Math.Floor(age - 1)]++;
            }
            if (count < minimumCount)
                continue;
            var mean = daily.Average();
            var variance = daily.Sum(d => (d - mean) * (d - mean)) / (BaselineDays - 1);
            var overdispersed = mean > 0 && variance > 1.5 * mean;
            var p = overdispersed ? NegativeBinomialUpperTail(count, mean, variance) : PoissonUpperTail(count, Math.Max(mean, 0.5 / BaselineDays));
            if (p < alpha)
                spikes.Add(new TrendSpike(g.Key.District, g.Key.Type, count, mean, variance, overdispersed ? "negative-binomial" : "poisson", p));
        }
        return spikes.OrderBy(s => s.PValue).ToList();
    }

    /// <summary>P(X ≥ k) for X ~ Poisson(λ).</summary>
    public static double PoissonUpperTail(int k, double lambda)
    {
        if (k <= 0)
            return 1;
        // 1 − P(X ≤ k − 1), summed in log space for the terms
        double below = 0, logTerm = -lambda;
        for (var i = 0; i < k; i++)
        {
            below += Math.Exp(logTerm);
            logTerm += Math.Log(lambda) - Math.Log(i + 1);
        }
        return Math.Clamp(1 - below, 0, 1) is var tail && tail > 1e-12 ? tail : UpperSum(k, i => -lambda + i * Math.Log(lambda) - LogFactorial(i));
    }

    /// <summary>P(X ≥ k) for a negative binomial with the given mean and variance (variance &gt; mean): r = m²/(v − m), p = m/v.</summary>
    public static double NegativeBinomialUpperTail(int k, double mean, double variance)
    {
        if (k <= 0)
            return 1;
        var r = mean * mean / (variance - mean);
        var p = mean / variance;   // success probability; P(X = i) = Γ(i + r)/(Γ(r) i!) p^r (1 − p)^i
        double LogPmf(int i) => LogGamma(i + r) - LogGamma(r) - LogFactorial(i) + r * Math.Log(p) + i * Math.Log(1 - p);
        double below = 0;
        for (var i = 0; i < k; i++)
            below += Math.Exp(LogPmf(i));
        return Math.Clamp(1 - below, 0, 1) is var tail && tail > 1e-12 ? tail : UpperSum(k, LogPmf);
    }

    // When 1 − CDF loses its digits, sum the upper tail directly (it falls fast beyond the mean).
    private static double UpperSum(int k, Func<int, double> logPmf)
    {
        double sum = 0;
        for (var i = k; i < k + 1000; i++)
        {
            var term = Math.Exp(logPmf(i));
            sum += term;
            if (term < sum * 1e-15)
                break;
        }
        return sum;
    }

    private static double LogFactorial(int n) => LogGamma(n + 1);

    /// <summary>Lanczos approximation (g = 7, n = 9), relative error below 1e-13 for x &gt; 0.</summary>
    public static double LogGamma(double x)
    {
        if (x < 0.5)
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        ReadOnlySpan<double> c =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
            -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        x -= 1;
        var a = c[0];
        var t = x + 7.5;
        for (var i = 1; i < 9; i++)
            a += c[i] / (x + i);
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(a);
    }
}
