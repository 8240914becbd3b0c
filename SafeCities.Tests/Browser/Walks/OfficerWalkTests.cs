using System.Globalization;
using Microsoft.Playwright;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Tests.Integration.Plates;

namespace SafeCities.Tests.Browser.Walks;

/// <summary>
/// The officer on a phone (390×844): a hotlist hit near their shared position arrives as a notice naming the street address and linking to
/// the responder page; there "what has happened" comes before the vehicles, En route is recorded (command staff see it on the incident page),
/// the officer's own position is on the map, and Navigate hands the phone's navigation app the right link for an iPhone and for Android.
/// Also: the hits and users pages on a phone scroll nothing sideways and clip no table.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class OfficerWalkTests(AppFixture app) : BrowserTest
{
    private const string IPhone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
    private const string Android = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36";

    [Fact]
    public async Task Notice_then_responder_page_then_en_route_then_navigate_on_an_iphone()
    {
        var (lat, lon) = Api.Place();
        var street = $"Walk {Guid.NewGuid():N}"[..13] + " Ave SE";
        using (var admin = app.AdminClient())
        {
            var imported = await admin.PostAsJsonAsync("api/v1/addresses/import", new
            {
                header = "number,street,latitude,longitude,place", firstLine = 2,
                lines = new[] { string.Create(CultureInfo.InvariantCulture, $"2400,{street},{lat + 0.0002:0.000000},{lon:0.000000},") },
            });
            Assert.Equal(1, (await imported.ReadJsonAsync())["imported"]!.GetValue<int>());
        }
        var (_, readerKey) = await app.RegisterReaderAsync(lat, lon);
        var list = await app.CreateHotlistAsync(level: "high");
        var plate = HotlistKit.Plate();
        await app.AddEntryAsync(list, plate, reason: "Carjacking, armed");
        var (here, there) = GeoMath.Offset(lat, lon, 450, 225);

        // The officer's phone shares its position (the menu switch, as officers do it).
        await using var walk = await RoleWalk.StartAsync(Browser, app, Users.Officer, RoleWalk.Phone, "officer", new BrowserNewContextOptions
        {
            UserAgent = IPhone, Permissions = ["geolocation"], Geolocation = new() { Latitude = (float)here, Longitude = (float)there, Accuracy = 10 },
        });
        var page = walk.Page;
        await walk.GotoAsync("/");
        await Assertions.Expect(page.Locator("#hub-status")).ToHaveTextAsync("live", new() { Timeout = 15000 });
        await OpenMenuAsync(page);
        await page.GetByRole(AriaRole.Switch, new() { Name = "Share my position" }).CheckAsync();
        await Assertions.Expect(page.Locator("#position-status")).ToContainTextAsync("shared", new() { Timeout = 10000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "Menu" }).ClickAsync();
        await walk.ShotAsync("board");

        // The hit: a notice with the street address (no raw coordinates) and a link to act on it.
        await app.SendReadsAsync(readerKey, PlatesKit.Read("walk-1", plate, DateTimeOffset.UtcNow.AddSeconds(-1)));
        var notice = page.Locator("#officer-notifications .alert[data-kind='hotlist-hit']", new() { HasTextString = plate });
        await Assertions.Expect(notice).ToBeVisibleAsync(new() { Timeout = 10000 });
        await Assertions.Expect(notice).ToContainTextAsync($"2400 {street}");
        await Assertions.Expect(notice.Locator(".notice-badge")).ToHaveTextAsync("UNCONFIRMED");
        await Assertions.Expect(notice).ToContainTextAsync("Read: silver Honda; listed: no description.");
        await Assertions.Expect(notice).Not.ToContainTextAsync(lat.ToString("0.00000", CultureInfo.InvariantCulture));
        await walk.ShotAsync("notice");

        await notice.GetByRole(AriaRole.Link, new() { Name = "Respond →" }).ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/respond/[0-9a-f-]{36}$"));
        await Assertions.Expect(page.Locator("#what-happened")).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var incidentId = Guid.Parse(new Uri(page.Url).Segments[^1]);

        // What has happened, before the vehicles.
        await Assertions.Expect(page.Locator("#incident-kind")).ToHaveTextAsync("Hotlist hit");
        await Assertions.Expect(page.Locator("#incident-address .address-text")).ToHaveTextAsync($"2400 {street}");
        await Assertions.Expect(page.Locator("#what-happened time")).ToBeVisibleAsync();
        var whatTop = (await page.Locator("#what-happened").BoundingBoxAsync())!.Y;
        var sectionsTop = (await page.Locator(".incident-sections").BoundingBoxAsync())!.Y;
        Assert.True(whatTop < sectionsTop, $"what has happened at {whatTop}px, vehicles and cameras at {sectionsTop}px");

        // Own position on the map, and how far.
        await Assertions.Expect(page.Locator("path.my-position")).ToHaveCountAsync(1, new() { Timeout = 10000 });
        await Assertions.Expect(page.Locator("#distance")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^4[45]\d m away$"));

        // Navigate: Apple Maps on an iPhone, the Android links offered too.
        var at = string.Create(CultureInfo.InvariantCulture, $"{lat:0.000000},{lon:0.000000}");
        await Assertions.Expect(page.Locator("#navigate")).ToHaveAttributeAsync("href", $"https://maps.apple.com/?daddr={at}");
        await Assertions.Expect(page.Locator("#navigate-android")).ToHaveAttributeAsync("href", $"geo:{at}?q={at}");
        await Assertions.Expect(page.Locator("#navigate-google")).ToHaveAttributeAsync("href", $"google.navigation:q={at}");
        await walk.ShotAsync("responder");

        // The hit is unconfirmed (issue 14): going en route is refused until the officer confirms it against the picture and the vehicle.
        var card = page.Locator("#hit-adjudication .hit-decision");
        await Assertions.Expect(card.Locator(".hit-badge")).ToHaveTextAsync("Unconfirmed");
        await Assertions.Expect(card.Locator(".hit-read-vehicle")).ToHaveTextAsync("silver Honda");
        await Assertions.Expect(card.Locator(".hit-entry-age")).ToContainTextAsync("0 hours");
        await page.GetByRole(AriaRole.Button, new() { Name = "En route" }).ClickAsync();
        await Assertions.Expect(page.Locator("#my-status")).ToContainTextAsync("unconfirmed");
        await walk.ShotAsync("unconfirmed-refused");
        await card.Locator("select[name=reason]").SelectOptionAsync("confirmed:confirmed-with-agency");
        await card.Locator("input[name=notes]").FillAsync("Dispatch ran the plate: still listed.");
        await card.GetByRole(AriaRole.Button, new() { Name = "Record decision" }).ClickAsync();
        await Assertions.Expect(page.Locator("#hit-adjudication .hit-badge")).ToHaveTextAsync("confirmed", new() { Timeout = 10000 });
        await Assertions.Expect(page.Locator("#timeline li[data-kind='HitConfirmed']")).ToHaveCountAsync(1, new() { Timeout = 10000 });
        await walk.ShotAsync("confirmed");

        await page.GetByRole(AriaRole.Button, new() { Name = "En route" }).ClickAsync();
        await Assertions.Expect(page.Locator("#my-status")).ToContainTextAsync("You: en route");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "En route" })).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(page.Locator($"#incident-responders .responder[data-user='{Users.Officer}'][data-status='en-route']"))
            .ToHaveCountAsync(1, new() { Timeout = 10000 });
        await walk.ShotAsync("en-route");

        // Command staff see it on the incident page (and through the API).
        using (var admin = app.AdminClient())
        {
            var responders = (await (await admin.GetAsync($"api/v1/incidents/{incidentId}/responders")).ReadJsonAsync()).AsArray();
            Assert.Contains(responders, r => r!["userName"]!.GetValue<string>() == Users.Officer && r["status"]!.GetValue<string>() == "en-route");
        }
        await using (var commander = await RoleWalk.StartAsync(Browser, app, Users.Commander, RoleWalk.Desktop, "officer-commander"))
        {
            await commander.GotoAsync($"/Alerts/Incidents/Details/{incidentId}");
            await Assertions.Expect(commander.Page.Locator("#incident-address .address-text")).ToHaveTextAsync($"2400 {street}");
            var badge = commander.Page.Locator($"#incident-responders .responder[data-user='{Users.Officer}']");
            await Assertions.Expect(badge).ToHaveAttributeAsync("data-status", "en-route");
            await Assertions.Expect(badge.Locator("time")).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("UTC$"));
            await commander.ShotAsync("incident-responders");
            await commander.AssertCleanAsync();
        }

        // The same page on an Android phone: geo: first.
        await using (var android = await RoleWalk.StartAsync(Browser, app, Users.Officer, RoleWalk.Phone, "officer-android",
                         new BrowserNewContextOptions { UserAgent = Android }))
        {
            await android.GotoAsync($"/respond/{incidentId}");
            await Assertions.Expect(android.Page.Locator("#navigate")).ToHaveAttributeAsync("href", $"geo:{at}?q={at}");
            await Assertions.Expect(android.Page.Locator("#navigate-ios")).ToHaveAttributeAsync("href", $"https://maps.apple.com/?daddr={at}");
            await android.ShotAsync("responder-android");
            await android.AssertCleanAsync();
        }

        await OpenMenuAsync(page);
        await page.GetByRole(AriaRole.Switch, new() { Name = "Share my position" }).UncheckAsync();
        await Assertions.Expect(page.Locator("#position-status")).ToHaveTextAsync("off");
        await walk.AssertCleanAsync($"/api/v1/incidents/{incidentId}/responders/me"); // en route refused while unconfirmed, on purpose
    }

    [Fact]
    public async Task The_hits_and_users_pages_fit_a_phone()
    {
        await using var officer = await RoleWalk.StartAsync(Browser, app, Users.Officer, RoleWalk.Phone, "phone-hits");
        await officer.GotoAsync("/Plates/Hits");
        await AssertNoClippedTableAsync(officer.Page);
        await officer.ShotAsync("hits");
        await officer.AssertCleanAsync();

        await using var admin = await RoleWalk.StartAsync(Browser, app, Users.Admin, RoleWalk.Phone, "phone-admin");
        await admin.GotoAsync("/Admin/Users");
        await AssertNoClippedTableAsync(admin.Page);
        // On a phone each person is a card: every cell, the Edit button included, is within the screen without scrolling the table.
        var outside = await admin.Page.EvaluateAsync<int>("() => [...document.querySelectorAll('#users td')].filter(td => td.getBoundingClientRect().right > window.innerWidth).length");
        Assert.Equal(0, outside);
        var edit = admin.Page.Locator("#users tr", new() { HasTextString = Users.Officer }).GetByRole(AriaRole.Link, new() { Name = "Edit" });
        await edit.ScrollIntoViewIfNeededAsync();
        await Assertions.Expect(edit).ToBeInViewportAsync(new() { Ratio = 1 });
        await admin.ShotAsync("users");
        await admin.GotoAsync("/Admin/Addresses");
        await admin.ShotAsync("addresses");
        await admin.AssertCleanAsync();
    }

    /// <summary>Every table either scrolls inside its own <c>.table-responsive</c> box or ends within the screen.</summary>
    private static async Task AssertNoClippedTableAsync(IPage page)
    {
        var clipped = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('table')]
              .filter(t => !t.closest('.table-responsive') && t.getBoundingClientRect().right > window.innerWidth + 1)
              .map(t => t.id || t.className || 'table')
            """);
        Assert.True(clipped.Length == 0, $"{page.Url}: tables wider than the phone outside a scroll box: {string.Join(", ", clipped)}");
    }
}
