using Microsoft.Playwright;
using SafeCities.Tests.Integration.Intelligence;

namespace SafeCities.Tests.Browser;

/// <summary>
/// The hotspot page as an analyst and a commander use it, desktop and phone (screenshots <c>walk-hotspots-*.png</c>): the flagged cells on
/// the map, the weekly score charts, the verdict, the source shares, the city-time label; no console error, no sideways scroll.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class HotspotPageTests(AppFixture app) : BrowserTest
{
    [Fact]
    public async Task The_hotspot_page_shows_the_shifts_cells_scores_and_verdict_on_a_desktop_and_a_phone()
    {
        var shift = await HotspotKit.SeedAsync(app, DateTimeOffset.UtcNow.AddDays(-6));
        await app.RunHotspotJobAsync(shift.AddMinutes(-30));
        await app.ExecuteAsync(HotspotKit.InsertIncidents(Enumerable.Range(0, 4).Select(i => (shift.AddHours(1 + i), HotspotKit.SpotLat, HotspotKit.SpotLon))));
        await app.RunHotspotJobAsync(shift.AddHours(8.5));
        // The next shift's forecast (not scored yet) is what the map shows.
        var next = shift.AddHours(8);
        await app.RunHotspotJobAsync(next.AddMinutes(-30));

        foreach (var (who, viewport, name) in new[] { (Users.Analyst, RoleWalk.Desktop, "hotspots-analyst"), (Users.Commander, RoleWalk.Phone, "hotspots-commander-phone") })
        {
            await using var walk = await RoleWalk.StartAsync(Browser, app, who, viewport, name);
            var page = walk.Page;
            await walk.GotoAsync("/Intelligence/Hotspots?type=gunshots&model=sepp");
            await Assertions.Expect(page.Locator("#hotspot-verdict")).ToContainTextAsync("point process");
            await Assertions.Expect(page.Locator("#hotspot-map .leaflet-interactive").First).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#hotspot-cells tbody tr").First).ToContainTextAsync("long-run background");
            await Assertions.Expect(page.Locator("#hotspot-sources")).ToContainTextAsync("sensor detections");
            await Assertions.Expect(page.Locator("h2 time").First).ToContainTextAsync(new System.Text.RegularExpressions.Regex("E[SD]T"));
            Assert.True(await page.Locator("#hotspot-pai-chart").EvaluateAsync<bool>("c => !!window.Chart.getChart(c)"), "the PAI chart is drawn");
            await Assertions.Expect(page.Locator("#hotspot-scores tbody tr").First).ToContainTextAsync("sepp");
            await walk.ShotAsync("page");
            if (viewport == RoleWalk.Desktop)
            {
                await page.Locator("#model").SelectOptionAsync("kde");
                await page.Locator("#hotspot-filter button").ClickAsync();
                await Assertions.Expect(page.Locator("#hotspot-cells tbody tr").First).ToContainTextAsync("density of the last year");
                await Assertions.Expect(page.Locator("#hotspot-map .leaflet-interactive").First).ToBeVisibleAsync();
                await page.WaitForFunctionAsync("() => !!window.Chart.getChart(document.getElementById('hotspot-hit-chart'))");
                await Assertions.Expect(page.Locator("nav a[href='/Intelligence/Hotspots']")).ToHaveCountAsync(1);
                await walk.ShotAsync("kde");
            }
            await walk.AssertCleanAsync();
        }
    }
}
