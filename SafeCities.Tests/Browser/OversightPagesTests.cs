using Microsoft.Playwright;
using SafeCities.Tests.Integration.Intelligence;

namespace SafeCities.Tests.Browser;

/// <summary>Oversight's start: <c>/</c> leads to the overview, and from it to the audit log, whose automatic (<c>system</c>) entries are folded until asked for, shown compactly.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class OversightPagesTests(AppFixture app) : BrowserTest
{
    [Fact]
    public async Task Oversight_opening_the_start_page_gets_the_audit_log_with_automatic_entries_folded()
    {
        var purpose = "automatic co-location " + IntelApi.Unique("sys");
        var vehicles = string.Join(',', Enumerable.Range(0, 40).Select(i => $$"""{"plate":"SYS{{i:000}}","score":0.5}"""));
        await app.ExecuteAsync($$"""
            INSERT INTO audit.entries (at, actor, module, action, purpose, details)
            VALUES (now(), 'system', 'Plates', 'colocation', '{{purpose}}', '{"incidentId":"5f0c","vehicles":[{{vehicles}}]}'::jsonb)
            """);
        var reviewer = await app.CreateUserAsync(Roles.Oversight);
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        var consoleErrors = ConsoleErrors(page);
        await page.GotoAsync("/Account/Login");
        await SignInAsync(page, reviewer);
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/Oversight");

        var start = await page.GotoAsync("/");
        Assert.Equal("/Oversight", new Uri(page.Url).AbsolutePath);
        Assert.Equal(200, start!.Status);
        await Assertions.Expect(page.GetByText("Access denied")).ToHaveCountAsync(0);
        // The platform's own entries are not anyone's look-ups: 'system' is not among the people.
        await Assertions.Expect(page.Locator("#people tr[data-actor='system']")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).First.ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/Audit");

        // Folded by default: the purpose filter finds nothing while automatic entries are hidden.
        await page.GetByLabel("Purpose contains").FillAsync(purpose);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Assertions.Expect(page.Locator("#audit-empty")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#audit-csv")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("system=false"));

        // Shown on request, compactly: the fields with the list counted, the raw JSON folded away.
        await page.GetByLabel("Show automatic entries").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        var row = page.Locator("#audit tbody tr");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.Locator(".audit-details > span")).ToHaveTextAsync("vehicles: 40 items · incidentId: 5f0c");   // jsonb keeps keys shortest first
        await Assertions.Expect(row.Locator(".audit-details details code")).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByLabel("Show automatic entries")).ToBeCheckedAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsDirectory, "audit-system-shown.png"), FullPage = true });
        Assert.True(consoleErrors.Count == 0, string.Join(" | ", consoleErrors));
        await context.CloseAsync();
    }
}
