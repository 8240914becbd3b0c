using System.Globalization;
using Microsoft.Playwright;
using SafeCities.Modules.Shared.Time;

namespace SafeCities.Tests.Browser;

/// <summary>One clock: the board (rendered by the browser) and the incident page (rendered by the server) show the same city time, labelled, UTC on hover.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class CityClockPagesTests(AppFixture app) : BrowserTest
{
    [Fact]
    public async Task The_board_and_the_incident_page_show_the_same_labelled_city_time()
    {
        var clock = new CityClock(CityClock.DefaultTimeZone);   // the test app runs with the default zone
        var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed);
        using var device = app.Client(key);
        var (lat, lon) = Api.Place();
        var id = (await (await device.PostAsJsonAsync("api/v1/sensors/gunshots", Api.Gunshot(null, lat, lon, 2))).ReadJsonAsync())["incidentId"]!.GetValue<Guid>();
        using var admin = app.AdminClient();
        var incident = await (await admin.GetAsync($"api/v1/incidents/{id}")).ReadJsonAsync();
        var openedAtText = incident["incident"]!["openedAt"]!.GetValue<string>();
        Assert.Matches(@"(Z|[+-]\d\d:\d\d)$", openedAtText);   // the API stays ISO 8601 with offset
        var openedAt = DateTimeOffset.Parse(openedAtText, CultureInfo.InvariantCulture);

        var (page, consoleErrors) = await SignedInPageAsync(app, Users.Commander);

        var boardTime = page.Locator($"[data-incident-id='{id}'] time").First;
        await Assertions.Expect(boardTime).ToHaveTextAsync(clock.Format(openedAt), new() { Timeout = 10000 });
        await Assertions.Expect(boardTime).ToHaveAttributeAsync("title", CityClock.UtcText(openedAt));
        var onBoard = (await boardTime.TextContentAsync())!;
        Assert.Matches(@"^\d\d:\d\d:\d\d E[SD]T$", onBoard);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsDirectory, "clock-board.png") });

        // The browser's formatter agrees with the server's across the daylight-saving changes.
        foreach (var utc in (string[])["2026-03-08T06:59:59Z", "2026-03-08T07:00:00Z", "2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z"])
            Assert.Equal(clock.Format(DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture)),
                await page.EvaluateAsync<string>("iso => window.safecities.timeText(iso)", utc));

        await page.GotoAsync($"/Alerts/Incidents/Details/{id}");
        var firstShot = page.Locator("dd time").First;
        await Assertions.Expect(firstShot).ToHaveTextAsync(clock.Format(openedAt, CityTimeFormat.DateTime));
        await Assertions.Expect(firstShot).ToHaveAttributeAsync("title", CityClock.UtcText(openedAt));
        // The same minute as on the board, and the timeline in the same zone.
        Assert.EndsWith($"{onBoard[..5]} {onBoard[9..]}", await firstShot.TextContentAsync());
        var opened = page.Locator("#timeline li time").First;
        Assert.Matches(@"^\d\d:\d\d:\d\d E[SD]T$", await opened.TextContentAsync());
        Assert.EndsWith(" UTC", await opened.GetAttributeAsync("title"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsDirectory, "clock-incident.png"), FullPage = true });
        Assert.True(consoleErrors.Count == 0, string.Join(Environment.NewLine, consoleErrors));
        await page.Context.CloseAsync();
    }
}
