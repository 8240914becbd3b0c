using Microsoft.Playwright;
using SafeCities.Tests.Integration.Plates;

namespace SafeCities.Tests.Browser.Plates;

/// <summary>The "vehicles seen" view component and incident-plates.js in Debian's Chromium.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class IncidentPlateReadsPageTests(AppFixture app) : BrowserTest
{
    [Fact]
    public async Task Vehicles_seen_lists_the_reads_newest_first_and_adds_new_ones_live_on_a_phone()
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon, 120, 0);
        var shotAt = DateTimeOffset.UtcNow.AddSeconds(-20);
        await app.SendReadsAsync(key, PlatesKit.Read("b-1", "FIRST1", shotAt.AddMinutes(-1)));
        var incidentId = await app.ReportGunshotAsync(lat, lon, shotAt);
        await app.WaitForTimelineAsync(incidentId, "IncidentReadsCaptured");

        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
            { BaseURL = app.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        var consoleErrors = ConsoleErrors(page);
        await page.GotoAsync($"/Plates/Incidents/Reads/{incidentId}");
        await SignInAsync(page, Users.Officer);
        await page.WaitForURLAsync(url => url.Contains($"/Plates/Incidents/Reads/{incidentId}"));
        await Assertions.Expect(page.Locator("#hub-status")).ToHaveTextAsync("live", new() { Timeout = 15000 });

        var section = page.Locator($"#incident-plate-reads[data-incident-id='{incidentId}']");
        await Assertions.Expect(section.Locator("li")).ToHaveCountAsync(1);
        await Assertions.Expect(section.Locator("li").First).ToContainTextAsync("FIRST1");
        await Assertions.Expect(section.Locator("li").First).ToContainTextAsync("silver Honda Civic");
        await Assertions.Expect(section.Locator("li").First).ToContainTextAsync("120 m away");
        await MarkDrawnAsync(page);

        // Device input is hostile: markup in a field is shown as text.
        await app.SendReadsAsync(key, PlatesKit.Read("b-2", "NEWER2", DateTimeOffset.UtcNow, make: "<i>Ford</i>", model: "Focus", color: "red"));

        await Assertions.Expect(section.Locator("li")).ToHaveCountAsync(2, new() { Timeout = 10000 });
        await Assertions.Expect(section.Locator("li").First).ToContainTextAsync("NEWER2");
        await Assertions.Expect(section.Locator("li").First).ToContainTextAsync("red <i>Ford</i> Focus");
        await Assertions.Expect(section.Locator("i")).ToHaveCountAsync(0);
        await Assertions.Expect(section.Locator("[data-role='count']")).ToHaveTextAsync("2");
        await AssertNotReloadedAsync(page);
        // The function the incident page calls re-renders the same list from the API.
        await page.EvaluateAsync("() => window.safecities.refreshPlateReads()");
        await Assertions.Expect(section.Locator("li")).ToHaveCountAsync(2);
        Assert.Empty(await PageFit.ProblemsAsync(page));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsDirectory, "plates-vehicles-seen-phone.png"), FullPage = true });
        Assert.True(consoleErrors.Count == 0, string.Join(" | ", consoleErrors));
    }
}
