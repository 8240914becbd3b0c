using Microsoft.Playwright;
using SafeCities.Tests.Integration.Alerts;
using SafeCities.Tests.Integration.Intelligence;
using SafeCities.Tests.Integration.Plates;

namespace SafeCities.Tests.Browser.Walks;

/// <summary>
/// Another authority's CAP alerts on <c>/Alerts/InboundAlerts</c> (issue 13): a partner agency pushes an alert (a polygon and a circle) and
/// one it then cancels; a commander on a desktop and an officer on a phone see the alert in force (its areas drawn, its times in city time)
/// and not the cancelled one. Screenshots: <c>walk-inbound-alerts-*.png</c>.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class InboundAlertWalkTests(AppFixture app) : BrowserTest
{
    [Fact]
    public async Task Command_staff_see_an_inbound_alert_in_force_with_its_areas_on_the_map_and_not_a_cancelled_one_on_a_desktop_and_a_phone()
    {
        var (_, feed) = await app.RegisterAgencyAsync("police");
        const string sender = "eoc@county.example";
        var inForce = InboundCapKit.Identifier();
        var headline = "Police activity near Congress Heights " + inForce[^4..];
        Assert.Equal(HttpStatusCode.Created, (await app.PushAsync(feed, InboundCapKit.Message(inForce, sender, headline: headline))).StatusCode);
        var cancelled = InboundCapKit.Identifier();
        var sent = DateTimeOffset.UtcNow.AddMinutes(-3);
        Assert.Equal(HttpStatusCode.Created, (await app.PushAsync(feed, InboundCapKit.Message(cancelled, sender, sent: sent, headline: "Withdrawn " + cancelled))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await app.PushAsync(feed,
            InboundCapKit.Message(InboundCapKit.Identifier(), sender, "Cancel", InboundCapKit.Reference(sender, cancelled, sent)))).StatusCode);

        foreach (var (who, viewport, name) in new[] { (Users.Commander, RoleWalk.Desktop, "inbound-alerts-commander"), (Users.Officer, RoleWalk.Phone, "inbound-alerts-officer-phone") })
        {
            await using var walk = await RoleWalk.StartAsync(Browser, app, who, viewport, name);
            var page = walk.Page;
            await walk.GotoAsync("/Alerts/InboundAlerts");
            var card = page.Locator($"#inbound-list article[data-identifier='{inForce}']");
            await Assertions.Expect(card).ToBeVisibleAsync();
            await Assertions.Expect(card).ToContainTextAsync(headline);
            await Assertions.Expect(card).ToContainTextAsync("County Emergency Management");
            await Assertions.Expect(card).ToContainTextAsync("Shelter radius (SAME=011001)");
            // Times in the city's zone, labelled, UTC on hover.
            await Assertions.Expect(card.Locator("time")).ToHaveCountAsync(2);
            Assert.EndsWith("UTC", await card.Locator("time").First.GetAttributeAsync("title") ?? "", StringComparison.Ordinal);
            await Assertions.Expect(page.Locator($"#inbound-list article[data-identifier='{cancelled}']")).ToHaveCountAsync(0);
            // At least the polygon and the circle of this alert are drawn.
            Assert.True(await page.Locator("#inbound-map path.leaflet-interactive").CountAsync() >= 2);
            await card.ClickAsync();
            await walk.ShotAsync("list");
            await walk.AssertCleanAsync();
        }
    }

    [Fact]
    public async Task An_administrator_subscribes_to_a_feed_polls_it_and_the_commander_sees_the_alert_on_the_incident_inside_it()
    {
        await using var server = await CapFeedServer.StartAsync();
        var (lat, lon) = Api.Place();
        var incident = await app.ReportGunshotAsync(lat, lon);
        var identifier = InboundCapKit.Identifier();
        var headline = "Tornado warning " + identifier[^6..];
        server.Put("/cap/1.xml", InboundCapKit.Message(identifier, "nws@weather.example", lat: lat, lon: lon, headline: headline));
        server.Put("/feed.atom", CapFeedServer.Atom(("e1", DateTimeOffset.UtcNow, "/cap/1.xml")), "application/atom+xml");
        var name = "Weather service " + identifier[^6..];

        foreach (var (viewport, shot) in new[] { (RoleWalk.Desktop, "cap-feeds-admin"), (RoleWalk.Phone, "cap-feeds-admin-phone") })
        {
            await using var walk = await RoleWalk.StartAsync(Browser, app, Users.Admin, viewport, shot);
            var page = walk.Page;
            await walk.GotoAsync("/Alerts/Admin/CapFeeds");
            if (viewport == RoleWalk.Desktop)
            {
                // A file address is refused on the form, nothing subscribed; then the feed's real address.
                await page.GetByLabel("Name (the authority)").FillAsync(name);
                await page.GetByLabel("Address (http or https)").FillAsync("file:///etc/passwd");
                await page.GetByRole(AriaRole.Button, new() { Name = "Subscribe" }).ClickAsync();
                await Assertions.Expect(page.Locator("#feed-form .alert-danger")).ToContainTextAsync("http://");
                await page.GetByLabel("Address (http or https)").FillAsync(server.Url("/feed.atom"));
                await page.GetByRole(AriaRole.Button, new() { Name = "Subscribe" }).ClickAsync();
                await Assertions.Expect(page.Locator("#feed-done")).ToContainTextAsync($"Subscribed to '{name}'");
            }
            var card = page.Locator("#feeds article").Filter(new() { HasText = name });
            await Assertions.Expect(card).ToHaveCountAsync(1);
            if (viewport == RoleWalk.Desktop)
            {
                await card.GetByRole(AriaRole.Button, new() { Name = "Poll now" }).ClickAsync();
                await Assertions.Expect(page.Locator("#feed-done")).ToContainTextAsync("read: 1 new, 0 already received, 0 refused");
                card = page.Locator("#feeds article").Filter(new() { HasText = name });
            }
            await Assertions.Expect(card).ToHaveAttributeAsync("data-error", "no");
            await Assertions.Expect(card.Locator(".feed-result")).ToContainTextAsync("read: 1 new");
            await walk.ShotAsync("feeds");
            await walk.AssertCleanAsync();
        }
        Assert.Equal(1, server.Hits("/cap/1.xml"));

        await using (var walk = await RoleWalk.StartAsync(Browser, app, Users.Commander, RoleWalk.Desktop, "cap-feed-incident"))
        {
            // The board draws the alerts in force (dashed) under the incidents.
            await walk.GotoAsync("/");
            await Assertions.Expect(walk.Page.Locator("#map[data-inbound-alerts]")).ToHaveCountAsync(1, new() { Timeout = 15000 });
            Assert.True(int.Parse(await walk.Page.Locator("#map").GetAttributeAsync("data-inbound-alerts") ?? "0") >= 1);
            Assert.True(await walk.Page.Locator("#map path[stroke-dasharray='6 4']").CountAsync() >= 2);   // this alert's polygon and circle at least
            await walk.ShotAsync("board");
            await walk.GotoAsync($"/Alerts/Incidents/Details/{incident}");
            await Assertions.Expect(walk.Page.GetByText($"Law Enforcement Warning (Severe) from County Emergency Management — {headline}")).ToBeVisibleAsync();
            await walk.ShotAsync("timeline");
            await walk.AssertCleanAsync();
        }
    }
}
