using System.Diagnostics;
using SafeCities.Modules.Sensors.Location;

namespace SafeCities.Tests.Unit.Sensors;

[Collection(nameof(TimingSensitiveTests))]
public sealed class TdoaSolverTests
{
    private static readonly Point3 Source = new(500, 400, 2);
    private const double EmissionTime = 1_545_180_568.25;

    private static ShotLocation Solve(IReadOnlyList<AcousticPulse> pulses, TdoaSolverOptions? options = null) =>
        new TdoaSolver(options ?? TdoaSolverOptions.Default).Solve(pulses, SyntheticShot.TemperatureCelsius)
        ?? throw new Xunit.Sdk.XunitException("solver returned null");

    [Fact]
    public void SpeedOfSound_follows_the_square_root_of_absolute_temperature()
    {
        Assert.Equal(331.37, SpeedOfSound.FromTemperature(0), 2);
        Assert.Equal(343.29, SpeedOfSound.FromTemperature(20), 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => SpeedOfSound.FromTemperature(-300));
    }

    [Fact]
    public void Exact_pulses_give_the_source_and_emission_time()
    {
        var pulses = SyntheticShot.Pulses(Source, EmissionTime, SyntheticShot.Array.Take(8));

        var fix = Solve(pulses);

        Assert.True(fix.Position.HorizontalDistanceTo(Source) < 0.5, $"error {fix.Position.HorizontalDistanceTo(Source):F3} m");
        Assert.Equal(EmissionTime, fix.EmissionTimeSeconds, 0.002);
        Assert.Equal(8, fix.SensorsUsed);
        Assert.Empty(fix.RejectedPulseIndices);
        Assert.Equal(TdoaSolverOptions.Default.MinimumUncertaintyMeters, fix.UncertaintyMeters);
    }

    [Fact]
    public void Millisecond_noise_gives_metre_level_error_and_an_uncertainty_of_the_same_order()
    {
        var pulses = SyntheticShot.Pulses(Source, EmissionTime, SyntheticShot.Array.Take(12), noiseSeconds: 0.002, seed: 7);

        var fix = Solve(pulses);

        var error = fix.Position.HorizontalDistanceTo(Source);
        Assert.True(error < 2.0, $"error {error:F2} m");
        Assert.InRange(fix.UncertaintyMeters, 1.0, 5.0);
        Assert.Equal(12, fix.SensorsUsed);
    }

    [Fact]
    public void One_late_echo_is_rejected()
    {
        var pulses = SyntheticShot.Pulses(Source, EmissionTime, SyntheticShot.Array.Take(7), noiseSeconds: 0.0005);
        pulses[3] = SyntheticShot.Delayed(pulses[3], 0.080);

        var fix = Solve(pulses);

        Assert.Equal([3], fix.RejectedPulseIndices);
        Assert.Equal(6, fix.SensorsUsed);
        Assert.True(fix.Position.HorizontalDistanceTo(Source) < 1.0, $"error {fix.Position.HorizontalDistanceTo(Source):F2} m");
    }

    [Fact]
    public void Two_late_pulses_are_rejected()
    {
        var pulses = SyntheticShot.Pulses(Source, EmissionTime, SyntheticShot.Array.Take(9), noiseSeconds: 0.0005, seed: 3);
        pulses[0] = SyntheticShot.Delayed(pulses[0], 0.050);
        pulses[6] = SyntheticShot.Delayed(pulses[6], 0.300);

        var fix = Solve(pulses);

        Assert.Equal([0, 6], fix.RejectedPulseIndices);
        Assert.Equal(7, fix.SensorsUsed);
        Assert.True(fix.Position.HorizontalDistanceTo(Source) < 1.0, $"error {fix.Position.HorizontalDistanceTo(Source):F2} m");
    }

    [Fact]
    public void Without_rejection_the_same_echoes_would_pull_the_fix_away()
    {
        var pulses = SyntheticShot.Pulses(Source, EmissionTime, SyntheticShot.Array.Take(9), noiseSeconds: 0.0005, seed: 3);
        pulses[0] = SyntheticShot.Delayed(pulses[0], 0.050);
        pulses[6] = SyntheticShot.Delayed(pulses[6], 0.300);

        var fix = Solve(pulses, TdoaSolverOptions.Default with { MaxRejectedFraction = 0 });

        Assert.True(fix.Position.HorizontalDistanceTo(Source) > 10, "an un-rejected 300 ms echo should bias a plain least-squares fit");
    }

    [Fact]
    public void Exactly_three_sensors_are_enough()
    {
        var sensors = new[] { new Point3(0, 0, 0), new Point3(900, 0, 0), new Point3(400, 800, 0) };
        var source = new Point3(420, 300, 0);
        var pulses = SyntheticShot.Pulses(source, EmissionTime, sensors);

        var fix = Solve(pulses);

        Assert.Equal(3, fix.SensorsUsed);
        Assert.Empty(fix.RejectedPulseIndices);
        Assert.True(fix.Position.HorizontalDistanceTo(source) < 0.5, $"error {fix.Position.HorizontalDistanceTo(source):F2} m");
    }

    [Fact]
    public void Fewer_than_three_usable_pulses_give_null()
    {
        var pulses = SyntheticShot.Pulses(Source, EmissionTime, SyntheticShot.Array.Take(3));
        pulses[1] = pulses[1] with { ArrivalTimeSeconds = double.NaN };

        Assert.Null(new TdoaSolver().Solve(pulses.Take(2).ToList(), 20));
        Assert.Null(new TdoaSolver().Solve(pulses, 20));
        Assert.Null(new TdoaSolver().Solve([], 20));
    }

    [Fact]
    public void Unusable_pulses_are_reported_as_rejected()
    {
        var pulses = SyntheticShot.Pulses(Source, EmissionTime, SyntheticShot.Array.Take(6));
        pulses.Insert(2, new AcousticPulse(new Point3(double.NaN, 0, 0), EmissionTime + 1));

        var fix = Solve(pulses);

        Assert.Equal([2], fix.RejectedPulseIndices);
        Assert.Equal(6, fix.SensorsUsed);
    }

    [Fact]
    public void A_source_outside_the_array_is_still_found()
    {
        var outside = new Point3(1250, -250, 0);
        var pulses = SyntheticShot.Pulses(outside, EmissionTime, SyntheticShot.Array.Take(10), noiseSeconds: 0.0005);

        var fix = Solve(pulses);

        Assert.True(fix.Position.HorizontalDistanceTo(outside) < 5, $"error {fix.Position.HorizontalDistanceTo(outside):F2} m");
    }

    [Fact]
    public void Solving_elevation_recovers_a_source_below_the_sensors()
    {
        var low = new Point3(480, 520, -15);
        var pulses = SyntheticShot.Pulses(low, EmissionTime, SyntheticShot.Array);

        var fix = Solve(pulses, TdoaSolverOptions.Default with { SolveElevation = true });

        Assert.True(fix.Position.HorizontalDistanceTo(low) < 0.5, $"error {fix.Position.HorizontalDistanceTo(low):F2} m");
        Assert.Equal(low.Z, fix.Position.Z, 2.0);
    }

    [Fact]
    public void Results_are_deterministic()
    {
        var pulses = SyntheticShot.Pulses(Source, EmissionTime, SyntheticShot.Array, noiseSeconds: 0.003, seed: 11);
        pulses[5] = SyntheticShot.Delayed(pulses[5], 0.1);

        Assert.Equal(Solve(pulses), Solve(pulses), new ShotLocationComparer());
    }

    [Fact]
    public void Twenty_sensors_solve_well_under_ten_milliseconds()
    {
        var pulses = SyntheticShot.Pulses(Source, EmissionTime, SyntheticShot.Array, noiseSeconds: 0.003, seed: 5);
        pulses[4] = SyntheticShot.Delayed(pulses[4], 0.06);
        var solver = new TdoaSolver();
        solver.Solve(pulses, 20);

        var timings = new List<double>();
        for (var i = 0; i < 30; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            solver.Solve(pulses, 20);
            timings.Add(stopwatch.Elapsed.TotalMilliseconds);
        }

        var median = timings.Order().ElementAt(timings.Count / 2);
        Assert.True(median < 10, $"median {median:F2} ms per shot");
    }

    private sealed class ShotLocationComparer : IEqualityComparer<ShotLocation>
    {
        public bool Equals(ShotLocation? x, ShotLocation? y) =>
            x is not null && y is not null && x.Position == y.Position && x.EmissionTimeSeconds == y.EmissionTimeSeconds
            && x.UncertaintyMeters == y.UncertaintyMeters && x.SensorsUsed == y.SensorsUsed
            && x.RejectedPulseIndices.SequenceEqual(y.RejectedPulseIndices);

        public int GetHashCode(ShotLocation obj) => obj.Position.GetHashCode();
    }
}

/// <summary>Tests with wall-clock assertions run alone, not alongside the other test classes.</summary>
[CollectionDefinition(nameof(TimingSensitiveTests), DisableParallelization = true)]
public sealed class TimingSensitiveTests;
