using System.Text;
using Microsoft.Playwright;
using static SafeCities.Tests.Integration.Intelligence.IntelApi;

namespace SafeCities.Tests.Browser;

/// <summary>The Intelligence CSV back-load in Debian's Chromium: chunks posted from the browser, a progress bar per chunk, every bad line reported.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class IntelligenceImportTests(AppFixture app) : BrowserTest
{
    [Fact]
    public async Task A_csv_of_2400_records_is_imported_in_chunks_with_a_progress_bar_and_a_report_of_the_bad_lines()
    {
        var (agency, _) = await app.RegisterAgencyAsync("jail");
        var (page, consoleErrors) = await SignedInPageAsync(app, Users.Admin);
        var chunks = 0;
        page.Request += (_, r) => { if (r.Url.EndsWith($"/api/v1/intelligence/agencies/{agency}/records-csv", StringComparison.Ordinal)) Interlocked.Increment(ref chunks); };
        await page.GotoAsync("/Intelligence/Admin/Import");
        await ObserveProgressAsync(page);

        var csv = new StringBuilder("kind,sourceId,firstName,lastName,dateOfBirth,district\r\n");
        for (var i = 1; i <= 2400; i++)   // three chunks of the page's 1,000 lines
        {
            var last = Unique("Bulk");
            csv.Append(i switch
            {
                99 => $"person,P{i},Ann,{last},1990-02-30,3",
                400 => $"person,P{i},Ann,,1990-02-03,3",
                _ => $"person,P{i},Ann,{last},19{50 + i % 50}-0{1 + i % 9}-1{i % 10},3",
            }).Append("\r\n");
        }
        await page.GetByLabel("Agency").SelectOptionAsync(agency.ToString());
        await page.GetByLabel("CSV file").SetInputFilesAsync(new FilePayload { Name = "jail.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv.ToString()) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();

        await Assertions.Expect(page.Locator("#import-status[data-done='ok']")).ToBeVisibleAsync(new() { Timeout = 90000 });
        await Assertions.Expect(page.Locator("#import-status")).ToContainTextAsync("Accepted 2398 lines (2398 new, 0 updated); 2 lines rejected.");
        Assert.Equal(3, chunks);
        Assert.Equal(new[] { 0, 42, 83, 100 }, await ProgressAsync(page));
        var rejected = page.Locator("#import-rejected li");
        await Assertions.Expect(rejected).ToHaveCountAsync(2);
        // The header is line 1, so record i is on line i + 1.
        await Assertions.Expect(rejected.Nth(0)).ToHaveTextAsync("Line 100: dateOfBirth: '1990-02-30' is not valid.");
        await Assertions.Expect(rejected.Nth(1)).ToContainTextAsync("Line 401: Person.LastName:");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsDirectory, "intelligence-import.png"), FullPage = true });
        Assert.Equal(2398, await app.CountAsync($"SELECT count(*) FROM intelligence.person_identities WHERE agency_id = '{agency}'"));
        Assert.True(consoleErrors.Count == 0, string.Join(" | ", consoleErrors));
    }
}
