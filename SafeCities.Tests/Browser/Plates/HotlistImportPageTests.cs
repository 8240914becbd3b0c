using System.Text;
using Microsoft.Playwright;
using SafeCities.Tests.Integration.Plates;

namespace SafeCities.Tests.Browser.Plates;

/// <summary>The Hotlists page imports an NCIC extract in Debian's Chromium: staged chunk by chunk with the server's progress, then committed.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class HotlistImportPageTests(AppFixture app) : BrowserTest
{
    [Fact]
    public async Task An_extract_of_1200_lines_is_staged_in_chunks_with_progress_then_replaces_the_list()
    {
        var list = await app.CreateHotlistAsync(kind: "ncic-stolen");
        var (page, consoleErrors) = await SignedInPageAsync(app, Users.Analyst);
        var chunks = 0;
        page.Request += (_, r) => { if (r.Url.EndsWith("/lines", StringComparison.Ordinal)) Interlocked.Increment(ref chunks); };
        await page.GotoAsync("/Plates/Hotlists");
        await ObserveProgressAsync(page);

        var csv = new StringBuilder("NIC,LIC,LIS,VMA,VCO,MKE\r\n");
        var plates = new HashSet<string>();
        for (var i = 1; i <= 1200; i++)
        {
            string plate;
            do plate = HotlistKit.Plate(); while (!plates.Add(plate));
            csv.Append(i == 700 ? $"V{i},BAD PLATE!,DC,HOND,SIL,SV" : $"V{i},{plate},DC,HOND,SIL,SV - stolen vehicle").Append("\r\n");
        }
        await page.GetByLabel("List", new() { Exact = true }).SelectOptionAsync(list.ToString());
        await page.GetByLabel("CSV file").SetInputFilesAsync(new FilePayload { Name = "ncic.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv.ToString()) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true }).ClickAsync();

        await Assertions.Expect(page.Locator("#import-status[data-done='ok']")).ToBeVisibleAsync(new() { Timeout = 90000 });
        await Assertions.Expect(page.Locator("#import-status")).ToContainTextAsync("Accepted 1199 lines; 1 line rejected. The list now holds 1199 entries (replacing 0)");
        Assert.Equal(3, chunks);
        // Three chunks of 500 lines take the bar to 95 %; the commit takes it to 100 %.
        Assert.Equal(new[] { 0, 40, 79, 95, 100 }, await ProgressAsync(page));
        await Assertions.Expect(page.Locator("#import-rejected li")).ToHaveTextAsync(["Line 701: 'BAD PLATE!' is not a plate (1–10 letters or digits, '*' and '?' allowed)"]);
        // The list's row follows: its count, and when it was imported (city time, labelled) — it kept the page's earlier blank.
        var row = page.Locator($"#hotlists tr[data-hotlist-id='{list}']");
        await Assertions.Expect(row.Locator(".entries-count")).ToHaveTextAsync("1199");
        await Assertions.Expect(row.Locator(".imported-at time")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2} E[SD]T$"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsDirectory, "hotlist-import.png"), FullPage = true });
        Assert.Equal(1199, await app.CountAsync($"SELECT count(*) FROM plates.hotlist_entries WHERE hotlist_id = '{list}'"));
        Assert.True(consoleErrors.Count == 0, string.Join(" | ", consoleErrors));
    }
}
