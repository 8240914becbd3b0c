using SafeCities.Modules.Plates.Domain;

namespace SafeCities.Tests.Unit.Plates;

public sealed class ArmingWindowTests
{
    private static readonly DateTimeOffset Shot = new(2026, 11, 25, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_window_runs_from_before_the_incident_to_after_it()
    {
        var window = ArmingWindow.Around(Shot, 10, 30);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 1, 50, 0, TimeSpan.Zero), window.Start);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 2, 30, 0, TimeSpan.Zero), window.End);
    }

    [Fact]
    public void Both_ends_are_inside_and_a_tick_beyond_is_not()
    {
        var window = ArmingWindow.Around(Shot, 10, 30);
        Assert.True(window.Contains(window.Start));
        Assert.True(window.Contains(window.End));
        Assert.True(window.Contains(Shot));
        Assert.False(window.Contains(window.Start.AddTicks(-1)));
        Assert.False(window.Contains(window.End.AddTicks(1)));
    }

    [Fact]
    public void Local_times_are_taken_in_utc_and_a_zero_before_starts_at_the_incident()
    {
        var local = new DateTimeOffset(2026, 11, 24, 21, 0, 0, TimeSpan.FromHours(-5));
        var window = ArmingWindow.Around(local, 0, 1);
        Assert.Equal(TimeSpan.Zero, window.Start.Offset);
        Assert.Equal(Shot, window.Start);
        Assert.Equal(Shot.AddMinutes(1), window.End);
    }

    [Fact]
    public void Windows_cross_midnight()
    {
        var window = ArmingWindow.Around(new DateTimeOffset(2026, 11, 25, 0, 5, 0, TimeSpan.Zero), 10, 30);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 23, 55, 0, TimeSpan.Zero), window.Start);
        Assert.True(window.Contains(new DateTimeOffset(2026, 11, 24, 23, 59, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Negative_minutes_are_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ArmingWindow.Around(Shot, -1, 30));
}
