using SafeCities.Modules.Sensors.Location;

namespace SafeCities.Tests.Unit.Sensors;

public sealed class PulseGrouperTests
{
    private static readonly Point3[] Sensors = SyntheticShot.Array.Take(9).ToArray();

    private static List<SensorPulse> ShotPulses(string shot, Point3 source, double emissionTime) =>
        SyntheticShot.Pulses(source, emissionTime, Sensors)
            .Select((pulse, i) => new SensorPulse($"{shot}-{i}", $"S{i}", pulse.Sensor, pulse.ArrivalTimeSeconds))
            .ToList();

    [Fact]
    public void Two_shots_two_seconds_apart_plus_an_echo_form_two_groups_without_the_echo()
    {
        var shotA = ShotPulses("A", new Point3(200, 300, 0), 100.0);
        var shotB = ShotPulses("B", new Point3(750, 700, 0), 102.0);
        var echoSource = shotA[4];
        var echo = echoSource with { PulseId = "A-echo", ArrivalTimeSeconds = echoSource.ArrivalTimeSeconds + 0.35 };
        var batch = shotA.Concat(shotB).Append(echo).OrderBy(p => p.ArrivalTimeSeconds).ToList();

        var groups = PulseGrouper.Group(batch, SyntheticShot.SoundSpeed);

        Assert.Equal(2, groups.Count);
        Assert.Equal(shotA.Select(p => p.PulseId).Order(), groups[0].Pulses.Select(p => p.PulseId).Order());
        Assert.Equal(shotB.Select(p => p.PulseId).Order(), groups[1].Pulses.Select(p => p.PulseId).Order());
        Assert.DoesNotContain(groups, g => g.Pulses.Any(p => p.PulseId == "A-echo"));
        Assert.All(groups, g => Assert.Equal(g.Pulses.Count, g.Pulses.Select(p => p.SensorId).Distinct().Count()));
    }

    [Fact]
    public void Grouped_pulses_locate_their_shots()
    {
        var sourceA = new Point3(200, 300, 0);
        var sourceB = new Point3(750, 700, 0);
        var batch = ShotPulses("A", sourceA, 100.0).Concat(ShotPulses("B", sourceB, 102.0)).OrderBy(p => p.ArrivalTimeSeconds).ToList();

        var fixes = PulseGrouper.Group(batch, SyntheticShot.SoundSpeed)
            .Select(g => new TdoaSolver(TdoaSolverOptions.Default with { SourceElevation = 0 }).Solve(g.ToAcousticPulses(), SyntheticShot.TemperatureCelsius))
            .ToList();

        Assert.Equal(2, fixes.Count);
        Assert.True(fixes[0]!.Position.HorizontalDistanceTo(sourceA) < 0.5);
        Assert.True(fixes[1]!.Position.HorizontalDistanceTo(sourceB) < 0.5);
    }

    [Fact]
    public void Physically_impossible_delays_are_not_grouped()
    {
        var a = new SensorPulse("1", "S1", new Point3(0, 0, 0), 10.0);
        var b = new SensorPulse("2", "S2", new Point3(100, 0, 0), 10.35);
        var c = new SensorPulse("3", "S3", new Point3(0, 100, 0), 10.1);

        Assert.False(PulseGrouper.AreConsistent(a, b, 343, 0.01));
        Assert.True(PulseGrouper.AreConsistent(a, c, 343, 0.01));
        Assert.Empty(PulseGrouper.Group([a, b, c], 343));
    }

    [Fact]
    public void Fewer_than_three_sensors_make_no_group_and_one_sensor_counts_once()
    {
        var a = new SensorPulse("1", "S1", new Point3(0, 0, 0), 10.0);
        var echo = new SensorPulse("2", "S1", new Point3(0, 0, 0), 10.05);
        var b = new SensorPulse("3", "S2", new Point3(100, 0, 0), 10.1);

        Assert.Empty(PulseGrouper.Group([a, echo, b], 343));
    }

    [Fact]
    public void Input_order_does_not_matter()
    {
        var batch = ShotPulses("A", new Point3(200, 300, 0), 100.0).Concat(ShotPulses("B", new Point3(750, 700, 0), 102.0)).ToList();
        var reversed = Enumerable.Reverse(batch).ToList();

        var first = PulseGrouper.Group(batch, SyntheticShot.SoundSpeed).Select(g => string.Join(",", g.Pulses.Select(p => p.PulseId)));
        var second = PulseGrouper.Group(reversed, SyntheticShot.SoundSpeed).Select(g => string.Join(",", g.Pulses.Select(p => p.PulseId)));

        Assert.Equal(first, second);
    }
}
