using Microsoft.Playwright;
using SafeCities.Tests.Integration.Plates;

namespace SafeCities.Tests.Browser;

/// <summary>The board triages: kinds look different (badge and marker), filters narrow rows and markers, and a phone keeps Close on screen.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class BoardTriageTests(AppFixture app) : BrowserTest
{
    [Theory]
    [InlineData(1440, 900, "board-triage.png")]
    [InlineData(390, 844, "board-triage-phone.png")]
    public async Task Kinds_are_told_apart_and_filtered_and_the_actions_fit_the_screen(int width, int height, string screenshot)
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon);
        var list = await app.CreateHotlistAsync();
        var plate = HotlistKit.Plate();
        await app.AddEntryAsync(list, plate, reason: "stolen vehicle");
        var shot = await app.ReportGunshotAsync(lat, lon, DateTimeOffset.UtcNow.AddSeconds(-5));
        await app.SendReadsAsync(key, PlatesKit.Read(Guid.NewGuid().ToString("N"), plate, DateTimeOffset.UtcNow));
        var hit = (await app.OpenHitIncidentAsync(plate))["id"]!.GetValue<Guid>();

        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
            { BaseURL = app.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        var consoleErrors = ConsoleErrors(page);
        await page.GotoAsync("/");
        await SignInAsync(page, Users.Commander);
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await Assertions.Expect(page.Locator("#hub-status")).ToHaveTextAsync("live", new() { Timeout = 15000 });

        var shotRow = page.Locator($"#incidents tr[data-incident-id='{shot}']");
        var hitRow = page.Locator($"#incidents tr[data-incident-id='{hit}']");
        await Assertions.Expect(shotRow.Locator(".kind-badge")).ToHaveTextAsync("Gunshot");
        await Assertions.Expect(hitRow.Locator(".kind-badge")).ToHaveTextAsync("Hotlist hit");
        Assert.True(await page.Locator(".incident-diamond").CountAsync() >= 1, "no diamond marker for the hotlist hit");
        // Priority: the open gunshot is listed above the open hotlist hit.
        var order = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#incidents tbody tr')].map(tr => tr.dataset.incidentId)");
        Assert.True(Array.IndexOf(order, shot.ToString()) < Array.IndexOf(order, hit.ToString()), "a hotlist hit is listed above a gunshot");

        // Only hotlist hits shown (the board's other open incidents, other tests' gunshots, come first and can fill the first page): the
        // "Since" cell does not wrap, the page does not scroll sideways, and Close is on the screen.
        await page.SelectOptionAsync("#filter-kind", "hotlist-hit");
        await Assertions.Expect(hitRow).ToBeVisibleAsync();
        var sinceLines = await hitRow.Locator("td").Nth(2).EvaluateAsync<int>(
            "td => { const r = document.createRange(); r.selectNodeContents(td); return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; }");
        Assert.Equal(1, sinceLines);
        Assert.Empty(await PageFit.ProblemsAsync(page));
        var close = await hitRow.GetByRole(AriaRole.Button, new() { Name = "Close" }).BoundingBoxAsync();
        Assert.True(close!.X >= 0 && close.X + close.Width <= width, $"Close is off the screen at x={close.X}");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsDirectory, screenshot), FullPage = true });

        // Filtered by kind: only hotlist hits remain, rows and markers.
        await Assertions.Expect(shotRow).ToBeHiddenAsync();
        await Assertions.Expect(hitRow).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#filtered-out")).ToBeVisibleAsync();
        await page.SelectOptionAsync("#filter-kind", "gunshot");
        await Assertions.Expect(hitRow).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator(".incident-diamond")).ToHaveCountAsync(0);
        await Assertions.Expect(shotRow).ToBeVisibleAsync();
        Assert.True(consoleErrors.Count == 0, string.Join(Environment.NewLine, consoleErrors));
    }
}
