using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Platform.Demo;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Tests.Unit;

/// <summary>
/// The demo city's generated year of calls for service: the same every time, in the demo area and the past year, and shaped as a city's
/// calls are (concentrated at hot places, each type at its own hours, burglaries followed by others nearby) — what the analysts' pages need
/// to show something a newcomer can read.
/// </summary>
public sealed class DemoHistoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 23, 0, 0, TimeSpan.Zero);
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static IReadOnlyList<RecordInput> Calls() => DemoHistory.Calls(Now, DemoCitySeeder.CenterLat, DemoCitySeeder.CenterLon, Zone);

    [Fact]
    public void The_same_year_of_calls_every_time_in_the_demo_area_and_the_past_year()
    {
        var calls = Calls();
        Assert.Equal(calls, Calls());
        Assert.InRange(calls.Count, 3000, 4500);
        Assert.Equal(calls.Count, calls.Select(c => c.SourceId).Distinct().Count());
        Assert.Equal($"{DemoHistory.IdPrefix}00001", calls[0].SourceId);
        Assert.All(calls, c =>
        {
            Assert.Equal(RecordKinds.CallForService, c.Kind);
            Assert.InRange(c.StartedAt!.Value, Now.AddDays(-DemoHistory.Days - 1), Now);
            Assert.True(GeoMath.DistanceMeters(c.Latitude!.Value, c.Longitude!.Value, DemoCitySeeder.CenterLat, DemoCitySeeder.CenterLon) < 3000);
            Assert.Matches(@"^\d+ block of .+", c.Address);
        });
        Assert.True(calls.Min(c => c.StartedAt) < Now.AddDays(-360) && calls.Max(c => c.StartedAt) > Now.AddDays(-2), "a whole year, to the last days");
    }

    [Fact]
    public void Calls_gather_at_hot_places_at_their_types_hours_and_burglaries_repeat_nearby()
    {
        var calls = Calls();
        // Hot places: the busiest 1 % of the 150 m cells that have a call hold over an eighth of all calls (spread evenly, about 1 %).
        var cells = calls.GroupBy(c => (Math.Floor(c.Latitude!.Value / 0.00135), Math.Floor(c.Longitude!.Value / 0.00173))).Select(g => g.Count())
            .OrderByDescending(n => n).ToList();
        var top = cells.Take((int)Math.Ceiling(cells.Count * 0.01)).Sum();
        Assert.True(top > calls.Count / 8, $"the busiest 1 % of {cells.Count} cells hold {top} of {calls.Count} calls");

        // Each type at its hours (city time): assaults mostly at night, thefts mostly by day.
        double Share(string type, Func<int, bool> hours) =>
            calls.Where(c => c.CallType == type).Average(c => hours(TimeZoneInfo.ConvertTime(c.StartedAt!.Value, Zone).Hour) ? 1.0 : 0.0);
        Assert.True(Share("assault", h => h >= 18 || h < 3) > 0.6);
        Assert.True(Share("theft", h => h is >= 9 and < 20) > 0.6);

        // Near repeats: burglaries within 120 m and 7 days of another are far more than among thefts (which never repeat on purpose).
        double CloseShare(string type)
        {
            var list = calls.Where(c => c.CallType == type).ToList();
            return list.Average(a => list.Any(b => !ReferenceEquals(a, b) && Math.Abs((b.StartedAt!.Value - a.StartedAt!.Value).TotalDays) <= 7
                && GeoMath.DistanceMeters(a.Latitude!.Value, a.Longitude!.Value, b.Latitude!.Value, b.Longitude!.Value) <= 120) ? 1.0 : 0.0);
        }
        Assert.True(CloseShare("burglary") > 1.3 * CloseShare("vandalism"), $"burglary {CloseShare("burglary"):P0}, vandalism {CloseShare("vandalism"):P0}");
    }
}
