using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SafeCities.Tests.Integration.Alerts;

namespace SafeCities.Tests.Browser.Walks;

/// <summary>
/// Public-alert sign-up end to end: on a phone by text message (the phone's location, 1 km) confirmed through the link of the simulated SMS,
/// on a desktop by e-mail with two places, a point kept and a drawn area (real SMTP to a local listener), then an alert over both reaches each once and an administrator
/// sees the counts. Screenshots: <c>walk-subscribe-*</c>, <c>walk-subscribers-admin-*</c>.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class AlertSubscriberWalkTests(AppFixture app) : BrowserTest
{
    [Fact]
    public async Task Residents_sign_up_on_a_phone_and_a_desktop_confirm_and_an_alert_reaches_each_once()
    {
        await using var smtp = new SmtpListener(app.SmtpPort);
        var place = Api.Place();
        var phoneNumber = SubscriberKit.NewPhone();

        // 1. Phone: text message, the phone's location, 1 km.
        await using (var phone = await RoleWalk.StartPublicAsync(Browser, app, RoleWalk.Phone, "subscribe-phone", place))
        {
            var page = phone.Page;
            await phone.GotoAsync("/alerts/subscribe");
            await Assertions.Expect(page.Locator("#privacy")).ToContainTextAsync("No account needed");
            await phone.ShotAsync("form");
            await page.GetByLabel("Text message (SMS)").CheckAsync();
            await Assertions.Expect(page.Locator("#address-label")).ToHaveTextAsync("Mobile number");
            await page.Locator("#Input_Address").FillAsync(phoneNumber);
            await page.GetByLabel("Español").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Use my location" }).ClickAsync();
            await Assertions.Expect(page.Locator("#area-help")).ToContainTextAsync("Alerts within 500 m");
            await page.GetByLabel("Distance", new() { Exact = true }).SelectOptionAsync("1000");
            await Assertions.Expect(page.Locator("#area-help")).ToContainTextAsync("Alerts within 1 km");
            await RoleWalk.AnswerChallengeAsync(page);
            await phone.ShotAsync("filled");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
            await Assertions.Expect(page.Locator("#subscribe-requested")).ToContainTextAsync("confirm");
            await phone.ShotAsync("requested");

            var text = await app.ScalarTextAsync("SELECT d.text FROM alerts.alert_simulated_deliveries d JOIN alerts.alert_subscribers s ON s.id = d.subscriber_id "
                + $"WHERE s.address = '{phoneNumber}' AND d.message_id = '{Guid.Empty}'");
            Assert.StartsWith("Confirme", text);
            await phone.GotoAsync($"/alerts/confirm/{SubscriberKit.ConfirmToken(text)}");
            await phone.ShotAsync("confirm");
            await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
            await Assertions.Expect(page.Locator("#confirm-done")).ToBeVisibleAsync();
            await phone.ShotAsync("confirmed");
            await phone.AssertCleanAsync();
        }

        // 2. Desktop: e-mail, an area drawn with four corners around the place.
        var address = $"walker-{Guid.NewGuid():N}@example.org";
        await using (var desktop = await RoleWalk.StartPublicAsync(Browser, app, RoleWalk.Desktop, "subscribe-desktop", place))
        {
            var page = desktop.Page;
            await desktop.GotoAsync("/alerts/subscribe");
            await page.Locator("#Input_Address").FillAsync(address);
            await page.GetByLabel("Draw an area").CheckAsync();
            // Centre the map on the place first (the polygon is drawn around it): the point mode's location button, then switch back.
            await page.GetByLabel("A place and a distance around it").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Use my location" }).ClickAsync();
            await Assertions.Expect(page.Locator("#area-help")).ToContainTextAsync("Alerts within");
            // That place is kept (home), and an area is drawn around it as well (work): two places, one subscription.
            await page.GetByRole(AriaRole.Button, new() { Name = "Keep this place and add another" }).ClickAsync();
            await Assertions.Expect(page.Locator("#more-areas-list li")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("#more-areas-list li").First).ToContainTextAsync("Place 1: within 500 m of");
            await page.GetByLabel("Draw an area").CheckAsync();
            var map = page.Locator("#subscribe-map");
            var box = (await map.BoundingBoxAsync())!;
            foreach (var (x, y) in new[] { (0.3, 0.3), (0.7, 0.3), (0.7, 0.7), (0.3, 0.7) })
                await map.ClickAsync(new() { Position = new() { X = (float)(box.Width * x), Y = (float)(box.Height * y) } });
            await Assertions.Expect(page.Locator("#polygon-count")).ToHaveTextAsync("4 corners");
            await RoleWalk.AnswerChallengeAsync(page);
            await desktop.ShotAsync("filled");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
            await Assertions.Expect(page.Locator("#subscribe-requested")).ToBeVisibleAsync();
            Assert.Equal(2, await app.CountAsync("SELECT count(*) FROM alerts.alert_subscriber_areas a JOIN alerts.alert_subscribers s ON s.id = a.subscriber_id "
                + $"WHERE s.address = '{address}'"));
            var mail = await smtp.WaitForAsync(m => m.To.Mailboxes.Any(b => b.Address == address));
            await desktop.GotoAsync(new Uri(Regex.Match(mail.TextBody ?? "", @"https?://\S+/alerts/confirm/\S+").Value).PathAndQuery);
            await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
            await Assertions.Expect(page.Locator("#confirm-done")).ToBeVisibleAsync();
            await desktop.ShotAsync("confirmed");
            await desktop.AssertCleanAsync();
        }

        // 3. An alert over the place reaches both, once each; the administrator sees them counted.
        var message = await app.IssueAlertAsync(circle: (place.Lat, place.Lon, 200), headline: "Walk alert");
        await app.DeliverAllAsync();
        Assert.Equal(2, await app.DeliveriesAsync(message, "sent"));
        var sms = await app.ScalarTextAsync($"SELECT d.text FROM alerts.alert_simulated_deliveries d JOIN alerts.alert_subscribers s ON s.id = d.subscriber_id "
            + $"WHERE s.address = '{phoneNumber}' AND d.message_id = '{message}' AND d.sends = 1");
        Assert.StartsWith("Sospechoso armado", sms);
        await smtp.WaitForAsync(m => m.To.Mailboxes.Any(b => b.Address == address) && (m.Subject ?? "").Contains("Walk alert", StringComparison.Ordinal));

        await using var admin = await RoleWalk.StartAsync(Browser, app, Users.Admin, RoleWalk.Desktop, "subscribers-admin");
        await admin.GotoAsync("/Admin/AlertSubscribers");
        await Assertions.Expect(admin.Page.Locator("#delivery-counts tr[data-channel='sms'][data-state='sent']")).ToBeVisibleAsync();
        await admin.ShotAsync("counts");
        await admin.AssertCleanAsync();
    }
}
