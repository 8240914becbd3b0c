using Microsoft.Playwright;
using SafeCities.Tests.Integration.Alerts;
using SafeCities.Tests.Integration.Intelligence;

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
}
