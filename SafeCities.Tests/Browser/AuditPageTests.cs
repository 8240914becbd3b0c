using Microsoft.Playwright;
using SafeCities.Tests.Integration.Intelligence;

namespace SafeCities.Tests.Browser;

/// <summary>Oversight reviews the audit log in Debian's Chromium: the per-day chart is drawn and the entries are filtered by purpose.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class AuditPageTests(AppFixture app) : BrowserTest
{
    [Fact]
    public async Task Oversight_lands_on_the_audit_log_sees_the_chart_and_filters_by_purpose()
    {
        var purpose = "case " + IntelApi.Unique("aud");
        using (var analyst = app.Client(await app.CreateClientKeyAsync(Roles.Analyst)))
            await analyst.GetAsync($"api/v1/plates/search?plate=QZ*&{Stated.Query}&purpose={Uri.EscapeDataString(purpose)}");
        var reviewer = await app.CreateUserAsync(Roles.Oversight);
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        var consoleErrors = ConsoleErrors(page);
        await page.GotoAsync("/Account/Login");
        await SignInAsync(page, reviewer);
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/Oversight");
        await page.GotoAsync("/Audit");

        // Chart.js drew the bars: the canvas has a chart attached with at least one dataset of counts.
        Assert.True(await page.EvaluateAsync<int>("() => Chart.getChart('audit-chart')?.data.datasets.length ?? 0") > 0);
        // Every day of the default 30 days is on the axis, quiet days as zeros, so that a busy day stands out against the others (this
        // test database's entries are all of today: with only the days that had entries the chart was one bar as wide as the page).
        var labels = await page.EvaluateAsync<string[]>("() => Chart.getChart('audit-chart').data.labels");
        Assert.InRange(labels.Length, 31, 32);
        Assert.Equal(labels.Order(StringComparer.Ordinal), labels);
        Assert.Equal(labels.Length, labels.Distinct().Count());
        await page.GetByLabel("Purpose contains").FillAsync(purpose);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        var rows = page.Locator("#audit tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToContainTextAsync(purpose);
        await Assertions.Expect(rows.First).ToContainTextAsync("QZ*");
        await Assertions.Expect(page.Locator("#audit-csv")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("purpose="));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsDirectory, "audit.png"), FullPage = true });
        Assert.True(consoleErrors.Count == 0, string.Join(" | ", consoleErrors));
    }
}
