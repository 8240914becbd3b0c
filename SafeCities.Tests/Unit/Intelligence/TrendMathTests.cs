using SafeCities.Modules.Intelligence.Analysis;
using SafeCities.Modules.Intelligence.Analysis.Trends;

namespace SafeCities.Tests.Unit.Intelligence;

/// <summary>The trend arithmetic: tail probabilities against known values, the heat table's time zone, changes and spikes.</summary>
public sealed class TrendMathTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);

    private static AnalysisEvent At(DateTimeOffset at, string district = "1", string type = "gunshot") =>
        new(Guid.NewGuid(), AnalysisSources.Incident, type, 38.9, -77.0, at, district);

    [Theory]
    // P(X ≥ k), X ~ Poisson(λ): 1 − e^{-λ} Σ_{i<k} λ^i / i!
    [InlineData(1, 2.0, 0.8646647167633873)]
    [InlineData(5, 2.0, 0.052653017343711)]
    [InlineData(10, 1.0, 1.1142547833872e-07)]
    [InlineData(0, 3.0, 1.0)]
    public void Poisson_upper_tail_matches_hand_computed_values(int k, double lambda, double expected) =>
        Assert.Equal(expected, TrendMath.PoissonUpperTail(k, lambda), 1e-9 + expected * 1e-6);

    [Fact]
    public void Negative_binomial_tail_is_heavier_than_the_poisson_with_the_same_mean_and_sums_to_one()
    {
        // mean 2, variance 6 → r = 1, p = 1/3: a geometric, P(X ≥ k) = (2/3)^k
        Assert.Equal(Math.Pow(2.0 / 3, 5), TrendMath.NegativeBinomialUpperTail(5, 2, 6), 1e-9);
        Assert.True(TrendMath.NegativeBinomialUpperTail(8, 2, 6) > TrendMath.PoissonUpperTail(8, 2) * 10);
        Assert.Equal(Math.Log(24), TrendMath.LogGamma(5), 1e-12);
    }

    [Fact]
    public void Hour_by_weekday_counts_in_the_citys_zone()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        // Monday 2026-06-15 03:30 UTC is Sunday 23:30 EDT
        var table = TrendMath.HourByWeekday([At(new DateTimeOffset(2026, 6, 15, 3, 30, 0, TimeSpan.Zero))], zone);
        Assert.Equal(1, table[6, 23]);
        Assert.Equal(1, table.Cast<int>().Sum());
    }

    [Fact]
    public void Changes_compare_the_last_week_with_the_week_before_and_the_same_week_a_year_ago()
    {
        var events = new List<AnalysisEvent>();
        events.AddRange(Enumerable.Range(0, 6).Select(i => At(Now - TimeSpan.FromDays(1 + i * 0.5))));
        events.AddRange(Enumerable.Range(0, 3).Select(i => At(Now - TimeSpan.FromDays(8 + i))));
        events.AddRange(Enumerable.Range(0, 2).Select(i => At(Now - TimeSpan.FromDays(7 * 52 + 1 + i))));
        var change = Assert.Single(TrendMath.Changes(events, Now));
        Assert.Equal((6, 3, 2), (change.ThisWeek, change.LastWeek, change.YearAgo));
        Assert.Equal(1.0, change.WeekOverWeek);
        Assert.Equal(2.0, change.YearOverYear);
    }

    [Fact]
    public void A_day_far_above_its_own_baseline_is_a_spike_and_an_ordinary_day_is_not()
    {
        var random = new Random(1);
        var events = new List<AnalysisEvent>();
        for (var day = 1; day <= 28; day++)
        for (var i = 0; i < 2; i++)   // 2 a day in district 1, steady
            events.Add(At(Now - TimeSpan.FromDays(day + random.NextDouble())));
        for (var day = 1; day <= 28; day++)   // district 2: 0 or 6 a day, overdispersed
        for (var i = 0; i < (day % 3 == 0 ? 6 : 0); i++)
            events.Add(At(Now - TimeSpan.FromDays(day + random.NextDouble()), "2"));
        for (var i = 0; i < 12; i++)
        {
            events.Add(At(Now - TimeSpan.FromHours(1 + i)));
            events.Add(At(Now - TimeSpan.FromHours(1 + i), "2"));
        }
        var spikes = TrendMath.Spikes(events, Now, alpha: 0.001, minimumCount: 3);
        var spike = Assert.Single(spikes, s => s.District == "1");
        Assert.Equal(("poisson", 12), (spike.Model, spike.Count));
        Assert.Equal(TrendMath.PoissonUpperTail(12, 2), spike.PValue, 12);
        // district 2's 12 is unusual against a mean of 2 under a Poisson, but not against its own overdispersed history
        Assert.True(TrendMath.PoissonUpperTail(12, 2) < 0.001);
        Assert.DoesNotContain(spikes, s => s.District == "2");

        var ordinary = events.Where(e => e.At < Now - TimeSpan.FromHours(13)).Append(At(Now - TimeSpan.FromHours(2))).Append(At(Now - TimeSpan.FromHours(3)))
            .Append(At(Now - TimeSpan.FromHours(4))).ToList();
        Assert.DoesNotContain(TrendMath.Spikes(ordinary, Now, 0.001, 3), s => s.District == "1");
    }
}
