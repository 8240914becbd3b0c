using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using SafeCities.Tests.Integration.Lighting;

namespace SafeCities.Tests.Browser.Walks;

/// <summary>
/// Districts end to end: an administrator imports the boundaries as a GeoJSON file on the Districts page (a bad file first: nothing changes,
/// each problem listed), then a commander filters and groups the board by district, and finds the incident in the history by its district.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class DistrictWalkTests(AppFixture app) : BrowserTest
{
    private static double[][][] Box(double south, double west, double north, double east) =>
        [[[west, south], [east, south], [east, north], [west, north], [west, south]]];

    private static FilePayload File(object geoJson) =>
        new() { Name = "districts.geojson", MimeType = "application/geo+json", Buffer = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(geoJson)) };

    [Fact]
    public async Task An_administrator_imports_districts_and_a_commander_filters_the_board_and_the_history_by_them()
    {
        var (lat, lon) = (38.905, -77.02);
        var suffix = Guid.NewGuid().ToString("N")[..5];
        var (north, south) = ($"N{suffix}", $"S{suffix}");
        object Feature(string code, string name, double[][][] rings) =>
            new { type = "Feature", properties = new { code, name }, geometry = new { type = "Polygon", coordinates = rings } };

        await using (var walk = await RoleWalk.StartAsync(Browser, app, Users.Admin, RoleWalk.Desktop, "districts-admin"))
        {
            var page = walk.Page;
            await walk.GotoAsync("/Admin/Districts");
            await page.GetByLabel("GeoJSON file").SetInputFilesAsync(File(new
            {
                type = "FeatureCollection",
                features = new[] { Feature(north, "North test", Box(lat, lon - 0.02, lat + 0.02, lon + 0.02)), Feature(south, "Bad", [[[lon, lat], [lon + 0.01, lat]]]) },
            }));
            await page.GetByRole(AriaRole.Button, new() { Name = "Replace districts" }).ClickAsync();
            await Assertions.Expect(page.Locator("#district-errors li")).ToHaveTextAsync(["Feature 2: a ring needs at least four positions (the first repeated last)."]);
            await Assertions.Expect(page.Locator("#district-status")).ToContainTextAsync("Nothing was changed");
            await walk.ShotAsync("refused");

            await page.GetByLabel("GeoJSON file").SetInputFilesAsync(File(new
            {
                type = "FeatureCollection",
                features = new[]
                {
                    Feature(north, "North test", Box(lat, lon - 0.02, lat + 0.02, lon + 0.02)),
                    Feature(south, "South test", Box(lat - 0.02, lon - 0.02, lat, lon + 0.02)),
                },
            }));
            await page.GetByRole(AriaRole.Button, new() { Name = "Replace districts" }).ClickAsync();
            await Assertions.Expect(page.Locator("#districts tbody tr")).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator("#districts")).ToContainTextAsync("South test");
            await Assertions.Expect(page.Locator("#map path.leaflet-interactive")).ToHaveCountAsync(2);
            await walk.ShotAsync("imported");
            await walk.AssertCleanAsync(refusedOnPurpose: "/api/v1/districts");
        }
        await using (var walk = await RoleWalk.StartAsync(Browser, app, Users.Admin, RoleWalk.Phone, "districts-admin-phone"))
        {
            // On a phone each district is a card; its import's time and importer flow on beside the label, not in two squeezed columns.
            await walk.GotoAsync("/Admin/Districts");
            await Assertions.Expect(walk.Page.Locator("#districts tbody tr", new() { HasText = "South test" })).ToContainTextAsync("by ");
            // Without a tile server every map draws the districts' outlines (here under the page's own editable ones), with their names where
            // they have room: none over another or past the map's edge.
            await Assertions.Expect(walk.Page.Locator("#map path.district-outline")).ToHaveCountAsync(2);
            await Assertions.Expect(walk.Page.Locator("#map .district-label:not(.crowded)").First).ToBeVisibleAsync();
            Assert.Equal("", await MapLabels.ProblemsAsync(walk.Page, "map", ".district-label", markers: false));
            await walk.ShotAsync("imported");
            await walk.AssertCleanAsync();
        }

        var inNorth = await app.PostGunshotAsync(lat + 0.005, lon);
        var inSouth = await app.PostGunshotAsync(lat - 0.005, lon + 0.004);
        foreach (var (viewport, name) in new[] { (RoleWalk.Desktop, "districts-commander"), (RoleWalk.Phone, "districts-commander-phone") })
        {
            await using var walk = await RoleWalk.StartAsync(Browser, app, Users.Commander, viewport, name);
            var page = walk.Page;
            await walk.GotoAsync("/");
            await page.GetByLabel("District").SelectOptionAsync(new SelectOptionValue { Label = "North test" });
            await Assertions.Expect(page.Locator($"#incidents tr[data-incident-id='{inNorth}']")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator($"#incidents tr[data-incident-id='{inSouth}']")).ToBeHiddenAsync();
            await page.GetByLabel("District").SelectOptionAsync(new SelectOptionValue { Label = "All districts" });
            await page.GetByLabel("Group by").SelectOptionAsync("district");
            await Assertions.Expect(page.Locator("#incidents tr.board-group", new() { HasText = "South test (1)" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator($"#incidents tr[data-incident-id='{inSouth}']")).ToBeVisibleAsync();
            await walk.ShotAsync("board-by-district");

            await walk.GotoAsync("/incidents/history?status=all");
            await page.GetByLabel("District").SelectOptionAsync(new SelectOptionValue { Label = "South test" });
            await page.Locator("#history-form button[type=submit]").ClickAsync();
            await Assertions.Expect(page.Locator("#history tbody tr")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator($"#history tr[data-incident-id='{inSouth}']")).ToContainTextAsync("South test");
            await walk.ShotAsync("history-by-district");
            await walk.AssertCleanAsync();
        }
    }
}
