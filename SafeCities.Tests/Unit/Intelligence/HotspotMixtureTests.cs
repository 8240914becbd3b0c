using SafeCities.Modules.Intelligence.Analysis.Hotspots;
using SafeCities.Modules.Intelligence.Contracts;

namespace SafeCities.Tests.Unit.Intelligence;

/// <summary>The mixture of long- and short-term surfaces whose weights are fitted on the weeks before each forecast (ADR 0027).</summary>
public sealed class HotspotMixtureTests
{
    private static readonly PlaneGrid Grid = new(0, 0, 40, 40, 100);   // 4 km square, 1,600 cells

    private static readonly MixtureComponent LongRun = new("long", true, (e, day) => MixtureModel.IncidentCounts(e, day, double.PositiveInfinity, 365));
    private static readonly MixtureComponent Recent = new("recent", false, (e, day) => MixtureModel.IncidentCounts(e, day, 3, 14));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void On_places_that_only_the_long_run_or_only_the_recent_weeks_know_the_fitted_mixture_beats_each_component(int seed)
    {
        var events = new EventSet(Grid, ChronicAndFlares(seed));
        var results = HotspotBacktest.Run(events,
        [
            new MixtureModel("long", [LongRun], step: 1, validationWindows: 0, share: 0.01),
            new MixtureModel("recent", [Recent], step: 1, validationWindows: 0, share: 0.01),
            new MixtureModel("mixture", [LongRun, Recent], step: 0.1, validationWindows: 8, share: 0.01),
        ], startDay: 200, windows: 20, horizonDays: 7, share: 0.01).ToDictionary(r => r.Model);

        Assert.All(results.Values, r => Assert.Equal(20, r.Windows.Count));
        var mixture = results["mixture"].MeanPai;
        Assert.True(mixture > 1.02 * results["long"].MeanPai, $"mixture {mixture:0.00} vs long-run alone {results["long"].MeanPai:0.00}");
        Assert.True(mixture > 1.02 * results["recent"].MeanPai, $"mixture {mixture:0.00} vs recent alone {results["recent"].MeanPai:0.00}");
        // It really mixes: the fitted weights give both surfaces a share.
        var weights = new MixtureModel("mixture", [LongRun, Recent], 0.1, 8, 0.01).Weights(events, 300, 7);
        Assert.Equal(1.0, weights.Sum(), 9);
        Assert.All(weights, w => Assert.InRange(w, 0.05, 0.95));
    }

    [Fact]
    public void The_standard_mixture_is_deterministic_and_its_forecast_splits_into_long_run_and_recent_parts()
    {
        var all = ChronicAndFlares(7);
        var first = MixtureModel.Standard("mixture", 100, 0.01).Forecast(new EventSet(Grid, all), 300, 7);
        var shuffled = all.OrderBy(e => e.X).ToList();   // another input order, another model instance
        var second = MixtureModel.Standard("mixture", 100, 0.01).Forecast(new EventSet(Grid, shuffled), 300, 7);
        Assert.True(first.Score.SequenceEqual(second.Score));
        Assert.True(first.Score.Max() > 0);
        for (var c = 0; c < first.Score.Length; c++)
            Assert.Equal(first.Score[c], first.Background![c] + first.Triggered![c], 12);
    }

    [Fact]
    public void The_mixture_forecast_and_its_weights_are_identical_whether_or_not_later_events_are_in_the_input()
    {
        var all = ChronicAndFlares(11);
        const double from = 300;
        var full = new EventSet(Grid, all);
        var past = new EventSet(Grid, all.Where(e => e.Day < from));
        Assert.True(full.Count > past.Count + 1000, "the full input really holds later events");
        var model = MixtureModel.Standard("mixture", 100, 0.01);
        Assert.Equal(model.Weights(past, from, 7), model.Weights(full, from, 7));
        Assert.True(model.Forecast(full, from, 7).Score.SequenceEqual(model.Forecast(past, from, 7).Score));
        // … while the later events do change a later forecast (the input is not ignored altogether).
        Assert.False(model.Forecast(full, from + 60, 7).Score.SequenceEqual(model.Forecast(past, from + 60, 7).Score));
    }

    [Fact]
    public void The_one_standard_error_rule_keeps_the_first_weighting_unless_the_best_is_better_by_more_than_the_weekly_noise()
    {
        // Weeks × weightings (column 0 = the first weighting). Steady gain of 0.01 a week: zero spread, clearly better.
        Assert.True(MixtureModel.ClearlyBetter(new double[,] { { 0.10, 0.11 }, { 0.20, 0.21 }, { 0.15, 0.16 }, { 0.05, 0.06 } }, 1, 1));
        // Differences +0.10, −0.08, +0.10, −0.08: mean 0.01, standard deviation 0.1039, standard error 0.0520 → not clearly better at z = 1…
        var noisy = new double[,] { { 0.10, 0.20 }, { 0.20, 0.12 }, { 0.15, 0.25 }, { 0.10, 0.02 } };
        Assert.False(MixtureModel.ClearlyBetter(noisy, 1, 1));
        // … but at z = 0.1 (0.0052 < 0.01) it is.
        Assert.True(MixtureModel.ClearlyBetter(noisy, 1, 0.1));
        // No gain at all is never clearly better, whatever z.
        Assert.False(MixtureModel.ClearlyBetter(new double[,] { { 0.1, 0.1 }, { 0.2, 0.2 } }, 1, 0.001));
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    public void With_the_rule_the_mixture_still_mixes_where_the_recent_weeks_clearly_help_and_a_stricter_rule_keeps_the_first_surface_alone(int seed)
    {
        // Flares that the long run cannot know: at one standard error the rule lets the fitted weighting through…
        var flares = new EventSet(Grid, ChronicAndFlares(seed));
        var weights = new MixtureModel("m", [LongRun, Recent], 0.125, 26, 0.01, standardErrors: 1).Weights(flares, 300, 7);
        Assert.All(weights, w => Assert.InRange(w, 0.05, 0.95));
        Assert.Equal(weights, new MixtureModel("m", [LongRun, Recent], 0.125, 26, 0.01).Weights(flares, 300, 7));
        // … while a rule demanding a gain of 100 standard errors keeps the first surface alone on the same weeks.
        Assert.Equal([1.0, 0.0], new MixtureModel("m", [LongRun, Recent], 0.125, 26, 0.01, standardErrors: 100).Weights(flares, 300, 7));
    }

    [Fact]
    public void Events_in_one_cell_within_an_hour_of_the_last_counted_one_are_one_incident()
    {
        var grid = new PlaneGrid(0, 0, 2, 1, 100);
        const double hour = 1.0 / 24;
        var events = new EventSet(grid,
        [
            new PlaneEvent(10, 50, 50), new PlaneEvent(10 + 0.5 * hour, 60, 40), new PlaneEvent(10 + 0.9 * hour, 55, 50),   // one burst
            new PlaneEvent(10 + 2 * hour, 50, 50),                                                                          // a new incident
            new PlaneEvent(10 + 0.2 * hour, 150, 50),                                                                       // the other cell
            new PlaneEvent(20, 50, 50),                                                                                     // at the instant: not before
        ]);
        Assert.Equal([2, 1], MixtureModel.IncidentCounts(events, 20, double.PositiveInfinity, 365));
        var decayed = MixtureModel.IncidentCounts(events, 20, 30, 365);
        Assert.Equal(Math.Exp(-10.0 / 30) + Math.Exp(-(10 - 2 * hour) / 30), decayed[0], 12);
    }

    [Fact]
    public void The_page_verdict_judges_the_point_process_and_the_mixture_each_against_both_baselines()
    {
        static HotspotModelSummaryDto Row(string model, double pai) => new(model, 12, pai, pai, 0.05, 0.1);
        var verdict = GetHotspotOverviewQueryHandler.Verdict([Row("sepp", 4.9), Row("mixture", 6.0), Row("kde", 5.0), Row("naive28", 4.0), Row("ewc", 5.5)]);
        Assert.Equal("The point process beats the naive map but NOT KDE over 12 scored shifts: mean PAI 4.90 against KDE 5.00 and naive28 4.00. "
            + "The mixture beats both baselines over 12 scored shifts: mean PAI 6.00 against KDE 5.00 and naive28 4.00 (1.20× the better one).", verdict);
        Assert.StartsWith("Not enough", GetHotspotOverviewQueryHandler.Verdict([Row("sepp", 4.9), Row("mixture", 6.0)]));
    }

    /// <summary>
    /// 30 events a day spread evenly; 8 chronic places busy (3 a day) one week in four at random, so the recent weeks often miss them; and
    /// every 14 days 4 new places flaring (1.5 a day) for 28 days, which the long run cannot know yet.
    /// </summary>
    private static List<PlaneEvent> ChronicAndFlares(int seed)
    {
        var random = new Random(seed);
        var events = new List<PlaneEvent>();
        const double days = 420;
        double Exp(double rate) => -Math.Log(1 - random.NextDouble()) / rate;
        PlaneEvent In(double t, int cell) => new(t, (cell % 40 + random.NextDouble()) * 100, (cell / 40 + random.NextDouble()) * 100);
        for (var t = Exp(30); t < days; t += Exp(30))
            events.Add(new PlaneEvent(t, random.NextDouble() * 4000, random.NextDouble() * 4000));
        foreach (var cell in Enumerable.Range(0, 8).Select(_ => random.Next(1600)).ToArray())
            for (var week = 0.0; week < days; week += 7)
                if (random.NextDouble() < 0.25)
                    for (var t = week + Exp(3); t < week + 7; t += Exp(3))
                        events.Add(In(t, cell));
        for (var start = 0.0; start < days; start += 14)
            for (var k = 0; k < 4; k++)
            {
                var cell = random.Next(1600);
                for (var t = start + Exp(1.5); t < Math.Min(days, start + 28); t += Exp(1.5))
                    events.Add(In(t, cell));
            }
        return events;
    }
}
