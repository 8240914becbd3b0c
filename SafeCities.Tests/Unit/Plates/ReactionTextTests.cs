using SafeCities.Modules.Plates.Domain;

namespace SafeCities.Tests.Unit.Plates;

public sealed class ReactionTextTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 1, 58, 0, TimeSpan.Zero);

    [Fact]
    public void Armed_names_the_readers_the_radius_and_the_window_in_utc()
    {
        Assert.Equal("4 plate readers armed within 500 m, reads 01:50–02:30 UTC",
            ReactionText.Armed(4, 500, ArmingWindow.Around(new DateTimeOffset(2026, 11, 24, 21, 0, 0, TimeSpan.FromHours(-5)), 10, 30)));
        Assert.StartsWith("1 plate reader armed within 800 m", ReactionText.Armed(1, 800, ArmingWindow.Around(At, 1, 1)));
        Assert.Equal("No plate readers within 500 m", ReactionText.Armed(0, 500, ArmingWindow.Around(At, 10, 30)));
    }

    [Fact]
    public void Captured_names_each_vehicle_once_with_its_first_sighting()
    {
        var text = ReactionText.Captured([
            new LinkedReadLine("XYZ987", "MD", At.AddMinutes(3), null, null, null, "LPR 2"),
            new LinkedReadLine("ABC1234", "DC", At, "Honda", "Civic", "Silver", "LPR Alabama Ave"),
            new LinkedReadLine("ABC1234", "DC", At.AddMinutes(5), "Honda", "Civic", "Silver", "LPR 2"),
        ]);
        Assert.Equal("2 vehicles read: ABC1234 (silver Honda Civic) at LPR Alabama Ave 01:58, XYZ987 at LPR 2 02:01", text);
    }

    [Fact]
    public void Captured_names_at_most_five_vehicles_and_counts_the_rest()
    {
        var reads = Enumerable.Range(0, 8).Select(i => new LinkedReadLine($"P{i}", "DC", At.AddSeconds(i), null, null, "red", "LPR 1")).ToList();
        var text = ReactionText.Captured(reads);
        Assert.StartsWith("8 vehicles read: P0 (red) at LPR 1 01:58, P1 (red)", text);
        Assert.Contains("P4 (red)", text);
        Assert.DoesNotContain("P5", text);
        Assert.EndsWith(" and 3 more", text);
        Assert.StartsWith("1 vehicle read: P0 (red) at LPR 1 01:58", ReactionText.Captured(reads.Take(1)));
    }
}
