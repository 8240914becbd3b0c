using System.Globalization;
using System.Text.Json;
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
        await using var walk = await ReportFormAmongAsync(here, "street-map",
            Enumerable.Range(0, 9).Select(i => (200 + 2 * i, street, GeoMath.Offset(here.Lat, here.Lon, 40 * (i - 4), 90), "")));
        var page = walk.Page;
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

    [Fact]
    public async Task Names_are_drawn_in_view_and_never_over_each_other()
    {
        // Two streets crossing at their middles and a named place on the crossing: three names for one point. And a street 60 m north
        // from 60 m to 380 m east, whose middle (of the part the map loads, the view and a quarter around it) lies at the edge of a
        // phone's view at zoom 17.
        var here = Api.Place();
        var tag = $"{Guid.NewGuid():N}"[..6];
        var (across, up, park, along) = ($"Across {tag} St", $"Up {tag} Ave", $"Crossing {tag} Park", $"Along {tag} Rd");
        var north = GeoMath.Offset(here.Lat, here.Lon, 60, 0);
        await using var walk = await ReportFormAmongAsync(here, "street-names", Enumerable.Range(0, 9).SelectMany(i => new[]
        {
            (200 + 2 * i, across, GeoMath.Offset(here.Lat, here.Lon, 40 * (i - 4), 90), i == 4 ? park : ""),
            (300 + 2 * i, up, GeoMath.Offset(here.Lat, here.Lon, 40 * (i - 4), 0), ""),
            (100 + 2 * i, along, GeoMath.Offset(north.Latitude, north.Longitude, 60 + 40 * i, 90), ""),
        }));
        var page = walk.Page;
        // Every street keeps its name, turned along it (the second of the crossing further along it, the third on its part in view); the
        // place, whose one point is taken, is left out at this zoom.
        await Assertions.Expect(page.Locator("#report-map .street-label", new() { HasTextString = across })).ToBeVisibleAsync(new() { Timeout = 10000 });
        await Assertions.Expect(page.Locator("#report-map .street-label", new() { HasTextString = up })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#report-map .street-label", new() { HasTextString = along })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#report-map .place-label", new() { HasTextString = park })).ToBeHiddenAsync();
        var shown = JsonSerializer.Deserialize<Box[]>(await page.EvaluateAsync<string>("""
            () => JSON.stringify([...document.querySelectorAll('#report-map .street-label, #report-map .place-label')]
              .filter(e => getComputedStyle(e).visibility !== 'hidden')
              .map(e => { const r = e.firstElementChild.getBoundingClientRect(); return { text: e.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom }; }))
            """), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        var view = await page.Locator("#report-map").BoundingBoxAsync() ?? throw new InvalidOperationException("no map");
        foreach (var street in new[] { across, up, along })
            Assert.Contains(shown, b => b.Text == street && b.Left >= view.X && b.Right <= view.X + view.Width && b.Top >= view.Y && b.Bottom <= view.Y + view.Height);
        var upright = shown.Single(b => b.Text == up);
        Assert.True(upright.Bottom - upright.Top > upright.Right - upright.Left, $"'{up}' runs north–south and its name along it: {upright}");
        foreach (var (a, i) in shown.Select((b, i) => (b, i)))
            foreach (var b in shown.Skip(i + 1))
                Assert.False(a.Left < b.Right && b.Left < a.Right && a.Top < b.Bottom && b.Top < a.Bottom, $"'{a.Text}' is drawn over '{b.Text}'");
        await walk.ShotAsync("names");
        await walk.AssertCleanAsync();
    }

    [Fact]
    public async Task A_map_without_a_size_asks_for_no_streets_until_it_has_one()
    {
        // A map laid out with no width (hidden, or its box not sized yet) has a view of no width: asking for its streets was a 400 (east
        // not east of west) and an error in the browser's console. It asks once it has a size — here when the window is resized.
        var here = Api.Place();
        var street = $"Hidden {Guid.NewGuid():N}"[..14] + " St";
        var asked = new List<string>();
        var moves = new List<string>();
        await using var walk = await ReportFormAmongAsync(here, "street-map-hidden",
            Enumerable.Range(0, 9).Select(i => (200 + 2 * i, street, GeoMath.Offset(here.Lat, here.Lon, 40 * (i - 4), 90), "")),
            async page =>
            {
                page.Request += (_, r) => { if (r.Url.Contains("/api/v1/addresses/streets", StringComparison.Ordinal)) lock (asked) asked.Add(r.Url); };
                page.Console += (_, m) => { if (m.Text.StartsWith("map moved", StringComparison.Ordinal)) lock (moves) moves.Add(m.Text); };
                // The map's box has no width from the start. (A style sheet of the test's own would be refused by the page's
                // Content-Security-Policy; the element's style is not.) And every map tells the console when a move has ended — after
                // its own 'moveend' handlers, which is where the streets are asked for — so that "nothing was asked" is read after it.
                await page.AddInitScriptAsync("""
                    new MutationObserver((_, observer) => {
                      const map = document.getElementById('report-map');
                      if (!map) return;
                      map.style.width = '0px';
                      observer.disconnect();
                    }).observe(document, { childList: true, subtree: true });
                    let leaflet;
                    Object.defineProperty(window, 'L', { configurable: true, get: () => leaflet, set: value => {
                      leaflet = value;
                      value.Map.addInitHook(function () { this.on('moveend', () => setTimeout(() => console.log(`map moved to zoom ${this.getZoom()}`))); });
                    } });
                    """);
            });
        var page = walk.Page;
        // The location taken, the map has moved there (zoom 17) and finished its move: it asked for nothing, then or at its first view.
        await Poll.UntilAsync(() => { lock (moves) return moves.Contains("map moved to zoom 17"); }, TimeSpan.FromSeconds(10), "the map's move to the reporter");
        lock (asked) Assert.True(asked.Count == 0, "a map with no width asked for streets: " + string.Join(", ", asked));
        await page.EvaluateAsync("() => { document.getElementById('report-map').style.width = ''; }");
        await page.SetViewportSizeAsync(RoleWalk.Phone.Width, RoleWalk.Phone.Height - 1);
        await Assertions.Expect(page.Locator("#report-map .street-label", new() { HasTextString = street })).ToBeVisibleAsync(new() { Timeout = 10000 });
        lock (asked) Assert.True(asked.Count >= 1, "the streets were never asked for");
        await walk.AssertCleanAsync();
    }

    /// <summary>
    /// Imports the address points, then opens the public report form on a phone at <paramref name="here"/> and takes the reporter's location:
    /// the map goes there at zoom 17. <paramref name="before"/> runs on the page before the form is opened.
    /// </summary>
    private async Task<RoleWalk> ReportFormAmongAsync((double Lat, double Lon) here, string name,
        IEnumerable<(int Number, string Street, (double Latitude, double Longitude) At, string Place)> points, Func<IPage, Task>? before = null)
    {
        var lines = points.Select(p => string.Create(CultureInfo.InvariantCulture,
            $"{p.Number},{p.Street},{p.At.Latitude:0.0000000},{p.At.Longitude:0.0000000},{p.Place}")).ToArray();
        using (var admin = app.AdminClient())
            (await admin.PostAsJsonAsync("api/v1/addresses/import", new { header = "number,street,latitude,longitude,place", firstLine = 2, lines }))
                .EnsureSuccessStatusCode();
        var walk = await RoleWalk.StartPublicAsync(Browser, app, RoleWalk.Phone, name, here);
        if (before is not null) await before(walk.Page);
        await walk.GotoAsync("/report");
        await walk.Page.GetByRole(AriaRole.Button, new() { Name = "Use my location" }).ClickAsync();
        return walk;
    }

    /// <summary>Where a name is drawn on the page (its text's bounds, turned as it is).</summary>
    private sealed record Box(string Text, double Left, double Right, double Top, double Bottom);
}
