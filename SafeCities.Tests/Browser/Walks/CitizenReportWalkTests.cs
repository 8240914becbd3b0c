using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Tests.Integration.Alerts;

namespace SafeCities.Tests.Browser.Walks;

/// <summary>
/// Citizen reports end to end: a member of the public reports on a phone (the phone's location, a photo) near an open incident, and on a
/// desktop (the phone's location, then a pin moved on the map) far from any; a commander finds the first as a witness statement on the
/// incident (listed and pinned on its map), then works the triage queue: sees a cluster, shows a reporter's contact (audited), attaches the
/// cluster to the incident and opens an incident from the desktop report. Screenshots: <c>walk-citizen-*</c>, <c>walk-triage-*</c>.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class CitizenReportWalkTests(AppFixture app) : BrowserTest
{
    [Fact]
    public async Task The_public_reports_on_a_phone_and_a_desktop_and_a_commander_sees_the_witness_statement_and_works_the_triage_queue()
    {
        var place = Api.Place();
        var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed, place.Lat, place.Lon);
        Guid incident;
        using (var device = app.Client(key))
        {
            var response = await device.PostAsJsonAsync("api/v1/sensors/gunshots", Api.Gunshot(null, place.Lat, place.Lon, 3));
            incident = (await response.ReadJsonAsync())["incidentId"]!.GetValue<Guid>();
        }

        // 1. On a phone, 150 m from the shots, with the phone's location and a photo.
        var near = GeoMath.Offset(place.Lat, place.Lon, 150, 45);
        const string phoneText = "Heard three bangs, a man in a green jacket ran into the alley";
        await using (var phone = await RoleWalk.StartPublicAsync(Browser, app, RoleWalk.Phone, "citizen-phone", near))
        {
            var page = phone.Page;
            await phone.GotoAsync("/report");
            await Assertions.Expect(page.Locator("#anonymity")).ToContainTextAsync("anonymous");
            // "When?" starts at the current minute, as a person would give it (not to the millisecond).
            await Assertions.Expect(page.Locator("#Input_OccurredAt")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$"));
            await phone.ShotAsync("form");
            await page.GetByLabel("What happened?").SelectOptionAsync("gunfire");
            await page.GetByLabel("What did you see?").FillAsync(phoneText);
            await page.GetByRole(AriaRole.Button, new() { Name = "Use my location" }).ClickAsync();
            await Assertions.Expect(page.Locator("#place-text")).ToContainTextAsync("your location");
            await page.GetByLabel(new Regex("^Photos")).SetInputFilesAsync(new FilePayload
            {
                Name = "shot.jpg", MimeType = "image/jpeg", Buffer = CitizenReportKit.JpegWithExif("GPS-SECRET-FROM-PHONE"),
            });
            await RoleWalk.AnswerChallengeAsync(page);
            await phone.ShotAsync("filled");
            await page.GetByRole(AriaRole.Button, new() { Name = "Send report" }).ClickAsync();
            await Assertions.Expect(page.Locator("#report-received")).ToContainTextAsync("will review it");
            await phone.ShotAsync("received");
            await phone.AssertCleanAsync();
        }

        // 2. On a desktop, far from any incident: the phone's location, then the pin put a little further on the map; a contact given.
        var far = Api.Place();
        Guid desktopReport;
        await using (var desktop = await RoleWalk.StartPublicAsync(Browser, app, RoleWalk.Desktop, "citizen", far))
        {
            var page = desktop.Page;
            await desktop.GotoAsync("/report");
            await page.GetByLabel("What happened?").SelectOptionAsync("suspicious-person");
            await page.GetByLabel("What did you see?").FillAsync("A van has circled the school three times, no plates");
            await page.GetByRole(AriaRole.Button, new() { Name = "Use my location" }).ClickAsync();
            await Assertions.Expect(page.Locator("#place-text")).ToContainTextAsync("your location");
            await page.Locator("#report-map").ClickAsync(new() { Position = new() { X = 80, Y = 60 } });
            await Assertions.Expect(page.Locator("#place-text")).ToContainTextAsync("on the map");
            await page.Locator("#contact-details summary").ClickAsync();
            await page.GetByLabel("E-mail").FillAsync("desk.reporter@example.test");
            await RoleWalk.AnswerChallengeAsync(page);
            await desktop.ShotAsync("filled");
            await page.GetByRole(AriaRole.Button, new() { Name = "Send report" }).ClickAsync();
            await Assertions.Expect(page.Locator("#report-received")).ToContainTextAsync("will review it");
            desktopReport = Guid.Parse(await page.Locator("#report-reference").InnerTextAsync());
            await desktop.ShotAsync("received");
            await desktop.AssertCleanAsync();
        }

        // Two more reports of one event 3 km from the incident (too far to join it, or the phone's report's cluster): a cluster waiting in triage.
        var c1 = GeoMath.Offset(place.Lat, place.Lon, 3000, 200);
        var c2 = GeoMath.Offset(place.Lat, place.Lon, 3300, 205);
        var first = await app.SubmitAsync(c1.Latitude, c1.Longitude, description: "Car without lights speeding south");
        var second = await app.SubmitAsync(c2.Latitude, c2.Longitude, description: "Dark sedan ran the red light, no lights on");
        Assert.Equal(first.ClusterId, second.ClusterId);

        // 3. The commander: the witness statement on the incident, listed and pinned.
        await using var commander = await RoleWalk.StartAsync(Browser, app, Users.Commander, RoleWalk.Desktop, "triage");
        var cp = commander.Page;
        await commander.GotoAsync($"/Alerts/Incidents/Details/{incident}");
        var statement = cp.Locator("#witness-statements .witness-statement");
        await Assertions.Expect(statement).ToHaveCountAsync(1);
        await Assertions.Expect(statement).ToContainTextAsync(phoneText);
        await Assertions.Expect(statement.GetByRole(AriaRole.Link, new() { Name = "Photo 1" })).ToBeVisibleAsync();
        await Assertions.Expect(cp.Locator("#timeline")).ToContainTextAsync("Witness statement");
        Assert.Equal(1, await cp.EvaluateAsync<int>("""
            () => { let n = 0; window.safecities.incidentMap.eachLayer(l => { if (l.options && l.options.fillColor === '#6f42c1') n++; }); return n; }
            """));
        await commander.ShotAsync("incident-witness");

        // 4. The triage queue: the cluster, a contact shown (audited), the cluster attached, an incident opened from the desktop report.
        await commander.GotoAsync("/Alerts/CitizenReports");
        var clustered = cp.Locator($".triage-item[data-report-id='{first.Id}']");
        await Assertions.Expect(clustered.Locator(".cluster-size")).ToHaveTextAsync("cluster of 2");
        await commander.ShotAsync("queue");
        var mine = cp.Locator($".triage-item[data-report-id='{desktopReport}']");
        await mine.GetByRole(AriaRole.Button, new() { Name = "Show contact" }).ClickAsync();
        await Assertions.Expect(cp.Locator("#shown-contact")).ToContainTextAsync("desk.reporter@example.test");
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'citizen-report-contact-view' AND details->>'reportId' = '{desktopReport}'"));
        await commander.ShotAsync("contact");
        await clustered.Locator("select[name=incidentId]").SelectOptionAsync(incident.ToString());
        await clustered.GetByRole(AriaRole.Button, new() { Name = "Attach" }).ClickAsync();
        await Assertions.Expect(cp.Locator("#triage-done")).ToContainTextAsync("Attached");
        await Assertions.Expect(cp.Locator($".triage-item[data-cluster-id='{first.ClusterId}']")).ToHaveCountAsync(0);
        await commander.ShotAsync("attached");
        await cp.Locator($".triage-item[data-report-id='{desktopReport}']").GetByRole(AriaRole.Button, new() { Name = "Open incident" }).ClickAsync();
        await cp.WaitForURLAsync(new Regex("/Alerts/Incidents/Details/"));
        await Assertions.Expect(cp.Locator("#witness-statements .witness-statement")).ToContainTextAsync("circled the school");
        await Assertions.Expect(cp.Locator(".kind-badge")).ToHaveTextAsync("Citizen report");
        await commander.ShotAsync("opened-incident");
        await commander.GotoAsync($"/Alerts/Incidents/Details/{incident}");
        await Assertions.Expect(cp.Locator("#witness-statements .witness-statement")).ToHaveCountAsync(3);
        await commander.ShotAsync("incident-three-witnesses");
        await commander.AssertCleanAsync();

        // 5. The queue and the incident on the commander's phone.
        await using var onPhone = await RoleWalk.StartAsync(Browser, app, Users.Commander, RoleWalk.Phone, "triage-phone");
        await onPhone.GotoAsync("/Alerts/CitizenReports");
        await onPhone.ShotAsync("queue");
        await onPhone.GotoAsync($"/Alerts/Incidents/Details/{incident}");
        await Assertions.Expect(onPhone.Page.Locator("#witness-statements .witness-statement")).ToHaveCountAsync(3);
        await onPhone.ShotAsync("incident");
        await onPhone.AssertCleanAsync();
    }
}
