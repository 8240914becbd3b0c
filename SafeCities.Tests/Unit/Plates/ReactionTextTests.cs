using SafeCities.Modules.Plates.Domain;

namespace SafeCities.Tests.Unit.Plates;

public sealed class ReactionTextTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 1, 58, 0, TimeSpan.Zero);

    [Fact]
    public void Armed_names_the_readers_the_radius_and_the_window_relative_to_the_incident_without_a_clock_time()
    {
        var incident = new DateTimeOffset(2026, 11, 24, 21, 0, 0, TimeSpan.FromHours(-5));
        Assert.Equal("4 plate readers armed within 500 m, reads from 10 min before to 30 min after the incident",
            ReactionText.Armed(4, 500, ArmingWindow.Around(incident, 10, 30), incident));
        Assert.Equal("1 plate reader armed within 800 m, reads from 2 h 30 min before to 1 min after the incident",
            ReactionText.Armed(1, 800, ArmingWindow.Around(At, 150, 1), At));
        Assert.Equal("No plate readers within 500 m", ReactionText.Armed(0, 500, ArmingWindow.Around(At, 10, 30), At));
    }

    [Fact]
    public void Captured_names_each_vehicle_once_with_its_first_sighting()
    {
        var text = ReactionText.Captured([
            new LinkedReadLine("XYZ987", "MD", At.AddMinutes(3), null, null, null, "LPR 2"),
            new LinkedReadLine("ABC1234", "DC", At, "Honda", "Civic", "Silver", "LPR Alabama Ave"),
            new LinkedReadLine("ABC1234", "DC", At.AddMinutes(5), "Honda", "Civic", "Silver", "LPR 2"),
        ]);
        Assert.Equal("2 vehicles read: ABC1234 (silver Honda Civic) at LPR Alabama Ave, XYZ987 at LPR 2 3 min later", text);
    }

    [Fact]
    public void Captured_names_at_most_five_vehicles_and_counts_the_rest()
    {
        var reads = Enumerable.Range(0, 8).Select(i => new LinkedReadLine($"P{i}", "DC", At.AddSeconds(i), null, null, "red", "LPR 1")).ToList();
        var text = ReactionText.Captured(reads);
        Assert.StartsWith("8 vehicles read: P0 (red) at LPR 1, P1 (red) at LPR 1, P2", text);
        Assert.Contains("P4 (red)", text);
        Assert.DoesNotContain("P5", text);
        Assert.EndsWith(" and 3 more", text);
        Assert.StartsWith("1 vehicle read: P0 (red) at LPR 1", ReactionText.Captured(reads.Take(1)));
    }
}
