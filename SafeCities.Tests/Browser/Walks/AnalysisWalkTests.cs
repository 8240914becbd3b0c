using System.Globalization;
using Microsoft.Playwright;
using SafeCities.Tests.Integration.Intelligence;
using SafeCities.Tests.Integration.Plates;
using static SafeCities.Tests.Integration.Intelligence.IntelApi;

namespace SafeCities.Tests.Browser.Walks;

/// <summary>
/// The analysis pages in Chromium, with screenshots (<c>walk-analysis-*.png</c>): an analyst runs the near-repeat test on a call type from
/// the menu's page and reads the heat map and the headline, looks at unreported gunfire on the map and table and downloads the CSV; a
/// commander reads the trends (heat table, weekly chart, the spike). Desktop and phone; no console error, no answer ≥ 500, no request outside
/// the origin, no sideways scroll.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class AnalysisWalkTests(AppFixture app) : BrowserTest
{
    private static object Call(string type, DateTimeOffset at, double lat, double lon) => new
    {
        kind = "call-for-service", sourceId = Unique("walk"), startedAt = at.ToString("O", CultureInfo.InvariantCulture), callType = type,
        latitude = lat, longitude = lon,
    };

    [Fact]
    public async Task Analyst_and_commander_read_near_repeat_unreported_gunfire_and_trends_on_desktop_and_phone()
    {
        const double lat = 38.853, lon = -76.993;   // the demo city's centre
        var type = Unique("burglary").ToLowerInvariant();
        var (_, feed) = await app.RegisterAgencyAsync("police");
        var now = DateTimeOffset.UtcNow;
        var random = new Random(3);
        // repeats: pairs 0–2 days and < 100 m apart, and background spread over 2 km and 60 days; plus a burst today (a spike)
        var calls = new List<object>();
        for (var i = 0; i < 25; i++)
        {
            var at = now.AddDays(-60 + random.NextDouble() * 58);
            var (la, lo) = (lat + (random.NextDouble() - 0.5) * 0.02, lon + (random.NextDouble() - 0.5) * 0.02);
            calls.Add(Call(type, at, la, lo));
            calls.Add(Call(type, at.AddDays(random.NextDouble() * 2), la + 0.0003, lo));
        }
        calls.AddRange(Enumerable.Range(0, 6).Select(i => Call(type, now.AddMinutes(-20 - 10 * i), lat + 0.001 * i, lon)));
        calls.Add(Call("shots fired", now.AddMinutes(-25), lat + 0.0005, lon));
        await app.PushOkAsync(feed, [.. calls]);
        await app.ReportGunshotAsync(lat, lon, now.AddMinutes(-28));
        await app.ReportGunshotAsync(lat + 0.02, lon + 0.02, now.AddMinutes(-27));

        var nearRepeat = $"/Intelligence/NearRepeat?type={Uri.EscapeDataString("call:" + type)}&meters=100&distanceBands=3&days=7&dayBands=3&permutations=99&seed=4";
        await using (var walk = await RoleWalk.StartAsync(Browser, app, Users.Analyst, RoleWalk.Desktop, "analysis"))
        {
            var page = walk.Page;
            await walk.GotoAsync("/");
            await page.GetByRole(AriaRole.Button, new() { Name = "Analysis" }).ClickAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "Near repeat" }).ClickAsync();
            await page.WaitForURLAsync(u => u.Contains("/Intelligence/NearRepeat"));
            await Assertions.Expect(page.Locator("#type option[value='call:" + type + "']")).ToHaveCountAsync(1);
            await walk.GotoAsync(nearRepeat);
            await Assertions.Expect(page.Locator("#knox-table tbody tr")).ToHaveCountAsync(5);
            await Assertions.Expect(page.Locator("#summary")).ToContainTextAsync("higher than expected");
            await Assertions.Expect(page.Locator("#knox-table td.nr-sig").First).ToBeVisibleAsync();
            await walk.ShotAsync("near-repeat");

            await walk.GotoAsync("/Intelligence/GunfireReporting");
            await Assertions.Expect(page.Locator("#reporting-summary")).ToContainTextAsync("had no call");
            await Assertions.Expect(page.Locator("#reporting-map .leaflet-interactive").First).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#reporting-table thead")).ToContainTextAsync("Hour (America/New_York)");
            var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#csv-export").ClickAsync());
            Assert.Equal("gunfire-reporting.csv", download.SuggestedFilename);
            await walk.ShotAsync("gunfire-reporting");
            await walk.AssertCleanAsync();
        }

        await using (var walk = await RoleWalk.StartAsync(Browser, app, Users.Analyst, RoleWalk.Phone, "analysis-phone"))
        {
            await walk.GotoAsync(nearRepeat);
            await Assertions.Expect(walk.Page.Locator("#summary")).ToBeVisibleAsync();
            await walk.ShotAsync("near-repeat");
            await walk.GotoAsync("/Intelligence/GunfireReporting");
            await walk.ShotAsync("gunfire-reporting");
            await walk.AssertCleanAsync();
        }

        foreach (var (viewport, name) in new[] { (RoleWalk.Desktop, "analysis-commander"), (RoleWalk.Phone, "analysis-commander-phone") })
        {
            await using var walk = await RoleWalk.StartAsync(Browser, app, Users.Commander, viewport, name);
            await walk.GotoAsync($"/Intelligence/Trends?type={Uri.EscapeDataString("call:" + type)}");
            await Assertions.Expect(walk.Page.Locator("#heat-table tbody tr")).ToHaveCountAsync(7);
            await Assertions.Expect(walk.Page.Locator("#spikes")).ToContainTextAsync("Calls for service: " + type);
            await Assertions.Expect(walk.Page.Locator("#trends-chart")).ToBeVisibleAsync();
            await walk.ShotAsync("trends");
            await walk.AssertCleanAsync();
        }
    }
}
