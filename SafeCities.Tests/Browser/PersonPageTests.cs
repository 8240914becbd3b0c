using Microsoft.Playwright;
using SafeCities.Tests.Integration.Intelligence;

namespace SafeCities.Tests.Browser;

/// <summary>The person page (sightings table, map, incidents on the timeline) and person-map.js in Debian's Chromium, on a phone.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class PersonPageTests(AppFixture app) : BrowserTest
{
    [Fact]
    public async Task An_officer_sees_the_sightings_table_the_map_and_follows_an_incident_link_on_a_phone()
    {
        var p = await SightedPerson.CreateAsync(app);
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
            { BaseURL = app.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        var consoleErrors = ConsoleErrors(page);
        var url = $"/Intelligence/Persons/{p.Id}?{Stated.Query}&purpose=case%205%20browser";
        await page.GotoAsync(url);
        await SignInAsync(page, Users.Officer);
        await page.WaitForURLAsync(u => u.Contains($"/Intelligence/Persons/{p.Id}"));

        var rows = page.Locator("#sightings tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.First).ToContainTextAsync(p.Plate);
        await Assertions.Expect(page.Locator("#sightings a[href='/Alerts/Incidents/Details/" + p.Tied + "']")).ToBeVisibleAsync();
        // Two reads and three incidents are drawn (and the line joining the reads).
        await Assertions.Expect(page.Locator("#person-map path.leaflet-interactive")).ToHaveCountAsync(6);
        await Assertions.Expect(page.Locator($"#timeline li[data-incident-id='{p.Called}']")).ToContainTextAsync("call-for-service CFS 80 m away");
        Assert.Empty(await PageFit.ProblemsAsync(page));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsDirectory, "intelligence-person-phone.png"), FullPage = true });

        await page.Locator($"#timeline a[href='/Alerts/Incidents/Details/{p.Tied}']").ClickAsync();
        await page.WaitForURLAsync(u => u.Contains($"/Alerts/Incidents/Details/{p.Tied}"));
        await Assertions.Expect(page.Locator("#incident-title")).ToContainTextAsync("Gunshot");
        Assert.True(consoleErrors.Count == 0, string.Join(" | ", consoleErrors));
    }
}
