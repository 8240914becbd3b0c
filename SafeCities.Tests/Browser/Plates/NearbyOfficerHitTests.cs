using Microsoft.Playwright;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Tests.Integration.Intelligence;
using SafeCities.Tests.Integration.Plates;

namespace SafeCities.Tests.Browser.Plates;

/// <summary>An officer's phone shares its position from the menu switch; a hotlist hit near it appears on that phone's board, with the distance.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class NearbyOfficerHitTests(AppFixture app) : BrowserTest
{
    [Fact]
    public async Task An_officer_who_shares_their_position_gets_a_hit_near_them_on_their_phone()
    {
        var (lat, lon) = Api.Place();
        var (_, readerKey) = await app.RegisterReaderAsync(lat, lon);
        var list = await app.CreateHotlistAsync(level: "high");
        var plate = HotlistKit.Plate();
        await app.AddEntryAsync(list, plate, reason: "AMBER alert vehicle");
        var officer = await app.CreateUserAsync(Roles.Officer);
        var (here, there) = GeoMath.Offset(lat, lon, 400, 45);

        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true,
            Geolocation = new() { Latitude = (float)here, Longitude = (float)there, Accuracy = 10 }, Permissions = ["geolocation"],
        });
        var page = await context.NewPageAsync();
        var consoleErrors = ConsoleErrors(page);
        await page.GotoAsync("/Account/Login");
        await SignInAsync(page, officer);
        await Assertions.Expect(page.Locator("#hub-status")).ToHaveTextAsync("live", new() { Timeout = 15000 });

        await OpenMenuAsync(page);
        await page.GetByRole(AriaRole.Switch, new() { Name = "Share my position" }).CheckAsync();
        await Assertions.Expect(page.Locator("#position-status")).ToContainTextAsync("shared", new() { Timeout = 10000 });
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM alerts.officer_positions WHERE user_name = '{officer}'"));

        await app.SendReadsAsync(readerKey, PlatesKit.Read("phone-1", plate, DateTimeOffset.UtcNow.AddSeconds(-1)));
        var notice = page.Locator("#officer-notifications .alert[data-kind='hotlist-hit']", new() { HasTextString = plate });
        await Assertions.Expect(notice).ToBeVisibleAsync(new() { Timeout = 10000 });
        await Assertions.Expect(notice).ToContainTextAsync("AMBER alert vehicle");
        await Assertions.Expect(notice).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"You are (39\d|40\d) m from the reader"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsDirectory, "hit-near-officer.png") });

        // The board's map shows who shares a position.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("path.officer-marker")).Not.ToHaveCountAsync(0, new() { Timeout = 10000 });

        // A page without a live view of its own still gets the notices (the layout connects for them).
        await page.GotoAsync("/Plates/Hits");
        await Assertions.Expect(page.Locator("body[data-hub='live']")).ToHaveCountAsync(1, new() { Timeout = 15000 });
        await app.SendReadsAsync(readerKey, PlatesKit.Read("phone-2", plate, DateTimeOffset.UtcNow.AddSeconds(-1)));
        await Assertions.Expect(page.Locator("#officer-notifications .alert[data-kind='hotlist-hit']", new() { HasTextString = plate }))
            .ToHaveCountAsync(1, new() { Timeout = 10000 });

        // Switching sharing off (remembered on this phone) deletes the position.
        await OpenMenuAsync(page);
        var toggle = page.GetByRole(AriaRole.Switch, new() { Name = "Share my position" });
        await Assertions.Expect(toggle).ToBeCheckedAsync();
        await toggle.UncheckAsync();
        await Assertions.Expect(page.Locator("#position-status")).ToHaveTextAsync("off");
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM alerts.officer_positions WHERE user_name = '{officer}'"));
        Assert.True(consoleErrors.Count == 0, string.Join(" | ", consoleErrors));
    }
}
