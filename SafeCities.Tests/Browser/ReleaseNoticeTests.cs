using Microsoft.Playwright;
using SafeCities.Tests.Integration.Intelligence;
using static SafeCities.Tests.Integration.Intelligence.IntelApi;

namespace SafeCities.Tests.Browser;

[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class ReleaseNoticeTests(AppFixture app) : BrowserTest
{
    [Fact]
    public async Task A_released_reoffender_appears_live_on_an_officers_board()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        var district = Unique("d");
        var officer = await app.CreateUserAsync(SafeCities.Modules.Shared.Security.Roles.Officer, district);
        await SignInAsync(page, officer);
        await Assertions.Expect(page.Locator("#hub-status")).ToHaveTextAsync("live", new() { Timeout = 15000 });

        var (_, jail) = await app.RegisterAgencyAsync("jail");
        var last = Unique("Board");
        await app.PushOkAsync(jail, Person("P", "Otto", last, "1970-07-07", district: district),
            new { kind = "booking", sourceId = "B1", personSourceId = "P", facility = "DC Jail", startedAt = "2010-01-01T00:00:00Z", endedAt = "2011-01-01T00:00:00Z" },
            new { kind = "booking", sourceId = "B2", personSourceId = "P", facility = "DC Jail", startedAt = "2024-01-01T00:00:00Z" });
        await app.PushOkAsync(jail, new { kind = "booking", sourceId = "B2", personSourceId = "P", facility = "DC Jail", startedAt = "2024-01-01T00:00:00Z",
            endedAt = "2025-01-01T00:00:00Z" });

        // Released at midnight UTC on New Year's Day: in the city's time (New York) still New Year's Eve, labelled with its zone.
        var notice = page.Locator("#officer-notifications .alert", new() { HasTextString = "at 2024-12-31 19:00 EST" }).Filter(new() { HasTextString = $"Released: Otto {last}" });
        await Assertions.Expect(notice).ToBeVisibleAsync(new() { Timeout = 10000 });
        await Assertions.Expect(notice).ToContainTextAsync($"district {district}");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsDirectory, "release-notice.png") });
    }
}
