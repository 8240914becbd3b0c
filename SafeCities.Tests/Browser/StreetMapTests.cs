using System.Globalization;
using Microsoft.Playwright;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Tests.Browser;

/// <summary>
/// With no tile server (Map:TileUrl empty, as on an air-gapped police network and in these tests), a map still shows the city's streets,
/// drawn from its address points (ADR 0066), under the markers and with their names once zoomed in: here the public report form on a phone,
/// where a member of the public has to find the place they mean.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class StreetMapTests(AppFixture app) : BrowserTest
{
    [Fact]
    public async Task The_report_forms_map_draws_the_streets_around_the_reporter_and_names_them()
    {
        var here = Api.Place();
        var street = $"Map {Guid.NewGuid():N}"[..12] + " St";
        var lines = Enumerable.Range(0, 9).Select(i => GeoMath.Offset(here.Lat, here.Lon, 40 * (i - 4), 90))
            .Select((p, i) => string.Create(CultureInfo.InvariantCulture, $"{200 + 2 * i},{street},{p.Latitude:0.0000000},{p.Longitude:0.0000000},"))
            .ToArray();
        using (var admin = app.AdminClient())
            (await admin.PostAsJsonAsync("api/v1/addresses/import", new { header = "number,street,latitude,longitude,place", firstLine = 2, lines }))
                .EnsureSuccessStatusCode();

        await using var walk = await RoleWalk.StartPublicAsync(Browser, app, RoleWalk.Phone, "street-map", here);
        var page = walk.Page;
        await walk.GotoAsync("/report");
        await page.GetByRole(AriaRole.Button, new() { Name = "Use my location" }).ClickAsync();   // the map goes to the phone's place, zoom 17
        // (A straight street's path has no height, which Playwright counts as hidden: its presence is what is checked; its name is seen.)
        await Assertions.Expect(page.Locator("#report-map path.street-line")).Not.ToHaveCountAsync(0, new() { Timeout = 10000 });
        await Assertions.Expect(page.Locator("#report-map .street-label", new() { HasTextString = street })).ToBeVisibleAsync();
        // Under the markers: the streets' pane is below the overlay pane the pin is drawn in.
        var z = await page.EvaluateAsync<int[]>("""
            () => [getComputedStyle(document.querySelector('#report-map .leaflet-streets-pane')).zIndex | 0,
                   getComputedStyle(document.querySelector('#report-map .leaflet-overlay-pane')).zIndex | 0]
            """);
        Assert.True(z[0] > 0 && z[0] < z[1], $"streets pane {z[0]}, overlay pane {z[1]}");
        await walk.ShotAsync("streets");
        await walk.AssertCleanAsync();
    }
}
