using Microsoft.Playwright;

namespace SafeCities.Tests.Browser.Walks;

/// <summary>
/// A public alert from an incident to the public (issue 13): a commander drafts it from the incident (the area prefilled around it) on a
/// desktop and cannot approve it; an administrator approves it on a phone; the public, not signed in, finds it on <c>/alerts</c> on a phone and
/// a desktop, reads it in Spanish, and "alerts near me" says they are inside the area. Screenshots: <c>walk-public-alert-*.png</c>.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class PublicAlertWalkTests(AppFixture app) : BrowserTest
{
    [Fact]
    public async Task A_commander_drafts_from_an_incident_a_second_person_approves_and_the_public_sees_it_near_them_in_English_and_Spanish()
    {
        var place = Api.Place();
        var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed, place.Lat, place.Lon);
        Guid incident;
        using (var device = app.Client(key))
            incident = (await (await device.PostAsJsonAsync("api/v1/sensors/gunshots", Api.Gunshot(null, place.Lat, place.Lon, 4))).ReadJsonAsync())["incidentId"]!.GetValue<Guid>();
        var headline = "Shelter in place " + Guid.NewGuid().ToString("N")[..6];

        // 1. The commander drafts from the incident; the circle around it is prefilled.
        string details;
        await using (var commander = await RoleWalk.StartAsync(Browser, app, Users.Commander, RoleWalk.Desktop, "public-alert-commander"))
        {
            var page = commander.Page;
            await commander.GotoAsync($"/Alerts/Incidents/Details/{incident}");
            await page.Locator("#draft-public-alert").ClickAsync();
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/Alerts/PublicAlerts/Draft");
            var prefilled = double.Parse(await page.Locator("#Input_CircleLatitude").InputValueAsync(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(prefilled - place.Lat) < 1e-5, $"centre {prefilled}, incident {place.Lat}");   // rounded to 6 decimals (0.1 m)
            Assert.Equal("400", await page.Locator("#Input_CircleRadiusMeters").InputValueAsync());
            await Assertions.Expect(page.Locator("#draft-map path.leaflet-interactive")).ToHaveCountAsync(1);   // the circle is drawn
            await page.Locator("#Input_HeadlineEn").FillAsync(headline);
            await page.Locator("#Input_DescriptionEn").FillAsync("Police are searching for an armed suspect near the shooting.");
            await page.Locator("#Input_InstructionEn").FillAsync("Stay indoors and away from windows. Call 911 if you see anything.");
            await page.Locator("#Input_HeadlineEs").FillAsync("Refúgiese en su lugar " + headline[^6..]);
            await page.Locator("#Input_DescriptionEs").FillAsync("La policía busca a un sospechoso armado cerca del tiroteo.");
            await page.Locator("#Input_InstructionEs").FillAsync("Permanezca adentro y lejos de las ventanas.");
            await commander.ShotAsync("draft");
            // A bow-tie polygon is refused with a form error, the typing kept.
            await page.Locator("#area-polygon").CheckAsync();
            var map = await page.Locator("#draft-map").BoundingBoxAsync();
            foreach (var (x, y) in new[] { (0.3, 0.3), (0.7, 0.7), (0.7, 0.3), (0.3, 0.7) })
                await page.Mouse.ClickAsync((float)(map!.X + map.Width * x), (float)(map.Y + map.Height * y));
            await Assertions.Expect(page.Locator("#polygon-count")).ToHaveTextAsync("4 corners");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save draft for approval" }).ClickAsync();
            await Assertions.Expect(page.Locator(".validation-summary-errors")).ToContainTextAsync("crosses itself");
            Assert.Equal(headline, await page.Locator("#Input_HeadlineEn").InputValueAsync());
            await commander.ShotAsync("draft-refused");
            // Back to the circle, saved: the author is told a second person must approve.
            await page.Locator("#area-circle").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Save draft for approval" }).ClickAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            Assert.True(new Uri(page.Url).AbsolutePath.StartsWith("/Alerts/PublicAlerts/Details/", StringComparison.Ordinal),
                page.Url + " " + await page.ContentAsync());
            details = new Uri(page.Url).AbsolutePath;
            await Assertions.Expect(page.Locator("#own-draft")).ToContainTextAsync("two-person rule");
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Approve and issue" })).ToHaveCountAsync(0);
            await commander.ShotAsync("drafted");
            await commander.AssertCleanAsync();
        }

        // 2. An administrator approves it on a phone.
        await using (var admin = await RoleWalk.StartAsync(Browser, app, Users.Admin, RoleWalk.Phone, "public-alert-admin"))
        {
            var page = admin.Page;
            await admin.GotoAsync("/Alerts/PublicAlerts");
            var row = page.Locator("#public-alerts tr", new() { HasText = headline });
            await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "draft");
            await admin.ShotAsync("list");
            await row.GetByRole(AriaRole.Link).ClickAsync();
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == details);
            await page.GetByRole(AriaRole.Button, new() { Name = "Approve and issue" }).ClickAsync();
            await Assertions.Expect(page.Locator("#alert-state")).ToHaveTextAsync("Alert · public now");
            await Assertions.Expect(page.Locator("#alert-approver")).ToHaveTextAsync(Users.Admin);
            await admin.ShotAsync("approved");
            // An update starts from the issued alert's content.
            await page.GetByRole(AriaRole.Link, new() { Name = "Draft an update" }).ClickAsync();
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/Alerts/PublicAlerts/Draft");
            Assert.Equal(headline, await page.Locator("#Input_HeadlineEn").InputValueAsync());
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Draft an update of a public alert");
            await admin.ShotAsync("update-draft");
            await admin.AssertCleanAsync();
        }
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'public-alert-approve' AND actor = '{Users.Admin}' AND details->>'author' = '{Users.Commander}'"));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM alerts.timeline WHERE incident_id = '{incident}' AND kind = 'PublicAlert'"));

        // 3. The public, not signed in, on a phone and a desktop, standing inside the area.
        foreach (var (viewport, name) in new[] { (RoleWalk.Phone, "public-alert-public-phone"), (RoleWalk.Desktop, "public-alert-public") })
        {
            await using var walk = await RoleWalk.StartAsync(Browser, app, null, viewport, name, new BrowserNewContextOptions
            {
                Permissions = ["geolocation"], Geolocation = new Geolocation { Latitude = (float)(place.Lat + 0.001), Longitude = (float)place.Lon },
                Locale = "en-US",
            });
            var page = walk.Page;
            await walk.GotoAsync("/alerts");
            Assert.Equal("/alerts", new Uri(page.Url).AbsolutePath);
            var card = page.Locator("#alert-list article", new() { HasText = headline });
            await Assertions.Expect(card).ToBeVisibleAsync();
            await Assertions.Expect(card).ToContainTextAsync("Stay indoors and away from windows.");
            await Assertions.Expect(page.Locator("#alerts-map path.leaflet-interactive").First).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToHaveCountAsync(0);
            await walk.ShotAsync("alerts");

            await page.GetByRole(AriaRole.Button, new() { Name = "Alerts near me" }).ClickAsync();
            await Assertions.Expect(card.Locator("[data-role=distance]")).ToHaveTextAsync("You are inside this area");
            await Assertions.Expect(page.Locator("#alert-list article").First).ToContainTextAsync(headline);   // nearest first
            await page.GetByRole(AriaRole.Button, new() { Name = "Español" }).ClickAsync();
            await Assertions.Expect(page.Locator("#alerts-title")).ToHaveTextAsync("Alertas públicas");
            var spanish = page.Locator("#alert-list article", new() { HasText = "Refúgiese en su lugar " + headline[^6..] });
            await Assertions.Expect(spanish).ToContainTextAsync("Permanezca adentro y lejos de las ventanas.");
            await Assertions.Expect(spanish.Locator("[data-role=distance]")).ToHaveTextAsync("Usted está dentro de esta zona");
            await walk.ShotAsync("alerts-near-me-es");

            // The CAP message the card links to is public too.
            var cap = await page.APIRequest.GetAsync(await spanish.GetByRole(AriaRole.Link).GetAttributeAsync("href") ?? "");
            Assert.Equal(200, cap.Status);
            Assert.Contains("<msgType>Alert</msgType>", await cap.TextAsync(), StringComparison.Ordinal);
            await walk.AssertCleanAsync();
        }
    }
}
