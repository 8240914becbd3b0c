using SafeCities.Modules.Intelligence.Analysis.Hotspots;

namespace SafeCities.Tests.Unit.Intelligence;

/// <summary>The hotspot estimators and their score (issue 11): pure code, no database.</summary>
public sealed class HotspotEstimatorTests
{
    [Fact]
    public void Kde_is_a_density_that_integrates_to_one_over_a_large_grid()
    {
        var grid = new PlaneGrid(0, 0, 120, 120, 50);   // 6 km square
        var random = new Random(11);
        var events = new EventSet(grid, Enumerable.Range(0, 400).Select(i => new PlaneEvent(i * 0.5, 3000 + Gauss(random) * 400, 3000 + Gauss(random) * 300)));
        var score = new KdeModel("kde", bandwidthMeters: 150, windowDays: 365).Forecast(events, fromDay: 250, horizonDays: 7).Score;
        var integral = score.Sum() * grid.CellArea;
        Assert.InRange(integral, 0.999, 1.001);
        Assert.True(score.Max() > 100 * score[0], "the mass sits where the events are, not spread evenly");
    }

    [Fact]
    public void Kde_of_one_event_far_narrower_than_a_cell_puts_all_of_it_in_that_cell()
    {
        var grid = new PlaneGrid(0, 0, 10, 10, 150);
        var events = new EventSet(grid, [new PlaneEvent(0, 220, 380)]);   // cell (1, 2)
        var score = new KdeModel("kde", bandwidthMeters: 5, windowDays: 365).Forecast(events, 1, 1).Score;
        Assert.Equal(1.0, score[2 * 10 + 1] * grid.CellArea, 6);
    }

    [Fact]
    public void Naive28_counts_the_events_of_the_last_28_days_per_cell()
    {
        var grid = new PlaneGrid(0, 0, 4, 1, 100);
        var events = new EventSet(grid, [
            new PlaneEvent(1, 50, 50),      // 99 days before: too old
            new PlaneEvent(75, 50, 50),     // 25 days before
            new PlaneEvent(80, 150, 50), new PlaneEvent(99.9, 150, 50),
            new PlaneEvent(100, 150, 50),   // at the forecast instant: not before it
            new PlaneEvent(90, 950, 50),    // outside the grid
        ]);
        var score = new NaiveCountModel("naive28", 28).Forecast(events, fromDay: 100, horizonDays: 7).Score;
        Assert.Equal([1, 2, 0, 0], score);
    }

    [Fact]
    public void Pai_and_pei_follow_the_hand_worked_grid()
    {
        // Scores: cell 0 first, then cells 1 and 2 tie (the lower index wins). A = 4 active cells, share 0.5 → a = ⌈2⌉ = 2 cells: {0, 1}.
        double[] score = [5, 4, 4, 1, 0, 0];
        int[] window = [1, 1, 2, 3, 3, 3, -1];   // 7 events, one outside the grid
        var result = HotspotScoring.Score(score, window, activeCells: 4, share: 0.5)!;
        Assert.Equal([0, 1], HotspotScoring.Flag(score, 2));
        Assert.Equal(7, result.Events);
        Assert.Equal(2, result.Captured);                 // n: both events of cell 1
        Assert.Equal(5, result.BestCaptured);             // n*: cells 3 (3 events) and 1 (2 events)
        Assert.Equal(2.0 / 7, result.HitRate, 12);
        Assert.Equal((2.0 / 7) / (2.0 / 4), result.Pai, 12);
        Assert.Equal(2.0 / 5, result.Pei, 12);
    }

    [Theory]
    [InlineData(0.01, 150, 2)]    // ⌈1.5⌉
    [InlineData(0.01, 100, 1)]    // exactly 1, not 2 by rounding noise
    [InlineData(0.01, 7000, 70)]
    [InlineData(0.01, 1, 1)]
    public void The_flagged_count_is_the_ceiling_of_share_times_active_cells(double share, int active, int expected) =>
        Assert.Equal(expected, HotspotScoring.FlaggedCount(share, active));

    [Fact]
    public void A_window_with_no_events_or_no_active_cell_has_no_score()
    {
        Assert.Null(HotspotScoring.Score([1, 0], [], 2, 0.5));
        Assert.Null(HotspotScoring.Score([1, 0], [0], 0, 0.5));
    }

    [Fact]
    public void Active_cells_are_those_with_an_event_in_the_365_days_before()
    {
        var grid = new PlaneGrid(0, 0, 3, 1, 100);
        var events = new EventSet(grid, [new PlaneEvent(0, 50, 50), new PlaneEvent(500, 150, 50), new PlaneEvent(600, 150, 50), new PlaneEvent(700, 250, 50)]);
        Assert.Equal(1, HotspotScoring.ActiveCells(events, 700));   // day 0 is too old, day 700 is not before
        Assert.Equal(2, HotspotScoring.ActiveCells(events, 701));
    }

    [Fact]
    public void A_forecast_is_identical_whether_or_not_later_events_are_in_the_input()
    {
        var grid = new PlaneGrid(0, 0, 40, 40, 150);
        var random = new Random(5);
        var all = Enumerable.Range(0, 3000).Select(_ => new PlaneEvent(random.NextDouble() * 800, random.NextDouble() * 6000, random.NextDouble() * 6000)).ToList();
        const double from = 600;
        var full = new EventSet(grid, all);
        var past = new EventSet(grid, all.Where(e => e.Day < from));
        Assert.True(full.Count > past.Count + 500, "the full input really holds later events");
        foreach (var model in HotspotModels.Standard(150, 0.01))
        {
            var a = model.Forecast(full, from, 7);
            var b = model.Forecast(past, from, 7);
            Assert.True(a.Score.SequenceEqual(b.Score), $"{model.Name} looked past its forecast instant");
        }
    }

    /// <summary>
    /// Mohler et al. 2011's synthetic setting: background μ = 5.71 events/day, spread as a Gaussian of 4.5 km; each event triggers
    /// Poisson(θ = 0.2) children after Exp(ω = 0.1/day) days at Gaussian offsets σx = 0.01 km, σy = 0.1 km (10 m and 100 m here).
    /// Tolerances: θ ± 0.04, ω⁻¹ ± 20 %, σx and σy ± 15 %.
    /// </summary>
    [Fact]
    public void Em_recovers_the_triggering_parameters_of_simulated_etas_data()
    {
        const double mu = 5.71, theta = 0.2, omega = 0.1, sigmaX = 10, sigmaY = 100, days = 2000;
        var random = new Random(2011);
        var events = new List<PlaneEvent>();
        var queue = new Queue<PlaneEvent>();
        for (var t = Exponential(random, mu); t < days; t += Exponential(random, mu))
            queue.Enqueue(new PlaneEvent(t, 25_000 + Gauss(random) * 4500, 25_000 + Gauss(random) * 4500));
        while (queue.TryDequeue(out var e))
        {
            events.Add(e);
            for (var k = Poisson(random, theta); k > 0; k--)
            {
                var child = new PlaneEvent(e.Day + Exponential(random, omega), e.X + Gauss(random) * sigmaX, e.Y + Gauss(random) * sigmaY);
                if (child.Day < days)
                    queue.Enqueue(child);
            }
        }
        var grid = new PlaneGrid(0, 0, 200, 200, 250);
        var model = new SeppModel("sepp", new SeppOptions(TrainingDays: days, MaxTriggerDays: 80, MaxTriggerMeters: 600, BackgroundBandwidthMeters: 1000,
            Iterations: 60, MinSigmaMeters: 1, InitialSigmaMeters: 200));
        var fit = model.Fit(new EventSet(grid, events), days);

        Assert.InRange(fit.Theta, theta - 0.04, theta + 0.04);
        Assert.InRange(1 / fit.OmegaPerDay, 1 / omega * 0.8, 1 / omega * 1.2);
        Assert.InRange(fit.SigmaX, sigmaX * 0.85, sigmaX * 1.15);
        Assert.InRange(fit.SigmaY, sigmaY * 0.85, sigmaY * 1.15);
    }

    [Fact]
    public void The_point_process_forecast_splits_into_background_and_recent_events()
    {
        var grid = new PlaneGrid(0, 0, 20, 20, 150);
        var random = new Random(3);
        var events = Enumerable.Range(0, 600).Select(_ => new PlaneEvent(random.NextDouble() * 300, random.NextDouble() * 3000, random.NextDouble() * 3000)).ToList();
        // A burst at one spot in the last days: the recent-event part must point there.
        events.AddRange(Enumerable.Range(0, 8).Select(i => new PlaneEvent(297 + i * 0.3, 1575 + i, 1575 - i)));
        var forecast = new SeppModel("sepp", new SeppOptions()).Forecast(new EventSet(grid, events), 300, 1.0 / 3);
        var burstCell = grid.CellAt(1575, 1575);
        for (var c = 0; c < forecast.Score.Length; c++)
            Assert.Equal(forecast.Score[c], forecast.Background![c] + forecast.Triggered![c], 12);
        Assert.Equal(burstCell, Array.IndexOf(forecast.Triggered!, forecast.Triggered!.Max()));
        Assert.Equal(burstCell, HotspotScoring.Flag(forecast.Score, 1)[0]);
    }

    [Fact]
    public void Until_the_first_forecast_the_page_says_when_the_job_will_make_one_in_city_time()
    {
        var options = new HotspotOptions();   // shifts at 06:00, 14:00 and 22:00 New York time, forecast from 90 minutes before
        var clock = new Modules.Shared.Time.CityClock("America/New_York");
        var morning = new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.FromHours(-5));
        Assert.Equal("No forecast has been made yet. The next shift starts at 14:00 EST; the job forecasts it from 12:30 EST if there are located events "
            + "by then (gunshot detections, calls for service with a place).", GetHotspotOverviewQueryHandler.NoForecastYet(morning, options, clock));
        Assert.Contains("starts at 14:00 EST; the job forecasts it at its next run", GetHotspotOverviewQueryHandler.NoForecastYet(morning.AddHours(3), options, clock));
        Assert.Contains("starts at 22:00 EST", GetHotspotOverviewQueryHandler.NoForecastYet(morning.AddHours(4.5), options, clock));
    }

    [Fact]
    public void A_grid_is_made_around_the_citys_points_and_leaves_out_records_geocoded_to_0_0_or_another_state()
    {
        var random = new Random(3);
        var city = Enumerable.Range(0, 500).Select(_ => (38.85 + random.NextDouble() * 0.1, -77.05 + random.NextDouble() * 0.1)).ToList();
        var alone = HotspotMap.Around(city, 150);
        // One record at 0°, 0° and one in Los Angeles stretched the grid to the Gulf of Guinea: over a billion cells.
        var map = HotspotMap.Around([.. city, (0.0, 0.0), (34.05, -118.24)], 150);
        Assert.Equal((alone.South, alone.West, alone.North, alone.East), (map.South, map.West, map.North, map.East));
        Assert.Equal(alone.Plane.CellCount, map.Plane.CellCount);
        Assert.False(map.InCity(0, 0));
        Assert.False(map.InCity(34.05, -118.24));
        Assert.True(map.InCity(38.9, -77.0));
        Assert.True(map.InCity(39.29, -76.61));   // Baltimore, 55 km away: a metropolitan extract may span it
        // A region too large for the cell size is refused, saying so, instead of allocating a grid without end.
        var region = Enumerable.Range(0, 100).Select(i => (38.0 + i * 0.016, -77.0 + i * 0.02)).ToList();
        var refused = Assert.Throws<ArgumentException>(() => HotspotMap.Around(region, 20));
        Assert.Contains("choose larger cells", refused.Message);
    }

    [Fact]
    public void The_map_projects_and_unprojects_within_a_centimetre()
    {
        var map = new HotspotMap(38.79, -77.12, 38.996, -76.91, 150);
        var (x, y) = map.Project(38.9, -77.0);
        var (lat, lon) = map.Unproject(x, y);
        Assert.Equal(38.9, lat, 7);
        Assert.Equal(-77.0, lon, 7);
        // 150 m cells over ~18 km × 23 km.
        Assert.InRange(map.Plane.Columns, 120, 124);
        Assert.InRange(map.Plane.Rows, 152, 155);
        var (s, w, n, e) = map.Bounds(0);
        Assert.Equal(150, Modules.Shared.Geo.GeoMath.DistanceMeters(s, w, n, w), 0);
        Assert.Equal(150, Modules.Shared.Geo.GeoMath.DistanceMeters(s, w, s, e), 0);
    }

    private static double Gauss(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    private static double Exponential(Random r, double rate) => -Math.Log(1 - r.NextDouble()) / rate;

    private static int Poisson(Random r, double mean)
    {
        var (limit, k, p) = (Math.Exp(-mean), 0, r.NextDouble());
        while (p > limit)
        {
            k++;
            p *= r.NextDouble();
        }
        return k;
    }
}
