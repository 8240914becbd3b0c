using Microsoft.Playwright;
using SafeCities.Tests.Integration.Plates;

namespace SafeCities.Tests.Browser.Plates;

/// <summary>A listed vehicle read again and again is one incident whose page folds the repeated reads ("3 more reads").</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class HotlistTriagePageTests(AppFixture app) : BrowserTest
{
    [Theory]
    [InlineData(1440, 900, "hotlist-incident-folded.png")]
    [InlineData(390, 844, "hotlist-incident-folded-phone.png")]
    public async Task Repeated_reads_of_a_listed_vehicle_are_folded_on_its_incident_page(int width, int height, string screenshot)
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon);
        var list = await app.CreateHotlistAsync();
        var plate = HotlistKit.Plate();
        await app.AddEntryAsync(list, plate, reason: "stolen vehicle");
        var now = DateTimeOffset.UtcNow;
        for (var i = 5; i > 0; i--)
            await app.SendReadsAsync(key, PlatesKit.Read(Guid.NewGuid().ToString("N"), plate, now.AddSeconds(-10 * i)));
        var incident = await app.OpenHitIncidentAsync(plate, detections: 5);
        var id = incident["id"]!.GetValue<Guid>();

        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
            { BaseURL = app.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        var consoleErrors = ConsoleErrors(page);
        await page.GotoAsync($"/Alerts/Incidents/Details/{id}");
        await SignInAsync(page, Users.Commander);
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath.EndsWith(id.ToString(), StringComparison.OrdinalIgnoreCase));

        var reads = page.Locator("#timeline li[data-kind='HotlistHit']");
        await Assertions.Expect(reads).ToHaveCountAsync(5);
        // The first read (the opening) and the newest stay visible; the three between are folded.
        var fold = page.Locator("#timeline .timeline-fold button[data-fold-kind='HotlistHit']");
        await Assertions.Expect(fold).ToHaveTextAsync("3 more reads");
        await Assertions.Expect(page.Locator("#timeline li[data-kind='HotlistHit']:visible")).ToHaveCountAsync(2);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsDirectory, screenshot), FullPage = true });

        await fold.ClickAsync();
        await Assertions.Expect(page.Locator("#timeline li[data-kind='HotlistHit']:visible")).ToHaveCountAsync(5);
        await Assertions.Expect(fold).ToHaveTextAsync("Fold 3 reads");
        Assert.Empty(await PageFit.ProblemsAsync(page));
        Assert.True(consoleErrors.Count == 0, string.Join(Environment.NewLine, consoleErrors));
    }
}
