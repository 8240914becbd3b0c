using Microsoft.Playwright;
using SafeCities.Tests.Integration.Intelligence;

namespace SafeCities.Tests.Browser.Walks;

/// <summary>
/// Oversight's and the public's main paths, on a desktop and a phone: oversight lands on its overview, finds the analyst among the people
/// who looked things up and follows them to the audit log, whose automatic entries are folded, finds the analyst's search by its purpose,
/// reads the transparency page and signs out; the public reads the transparency page without signing in. Every step's screenshot is
/// written to the test results (<c>walk-oversight-*</c>, <c>walk-public-*</c>).
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class OversightAndPublicWalkTests(AppFixture app) : BrowserTest
{
    [Fact]
    public async Task Oversight_finds_a_human_search_among_folded_automatic_entries_and_signs_out_on_desktop_and_phone()
    {
        var purpose = "case " + IntelApi.Unique("walk");
        using (var analyst = app.Client(await app.CreateClientKeyAsync(Roles.Analyst)))
            (await analyst.GetAsync($"api/v1/plates/search?plate=WK*&{Stated.Query}&purpose={Uri.EscapeDataString(purpose)}")).EnsureSuccessStatusCode();
        var searcher = await app.ScalarAsync<string>($"SELECT actor FROM audit.entries WHERE purpose = '{purpose}'");
        await app.ExecuteAsync($$"""
            INSERT INTO audit.entries (at, actor, module, action, purpose, details)
            SELECT now(), 'system', 'Plates', 'colocation', 'automatic co-location {{purpose}}', '{"incidentId":"5f0c","vehicles":[]}'::jsonb
            FROM generate_series(1, 30)
            """);
        var reviewer = await app.CreateUserAsync(Roles.Oversight);

        foreach (var (viewport, name) in new[] { (RoleWalk.Desktop, "oversight"), (RoleWalk.Phone, "oversight-phone") })
        {
            await using var walk = await RoleWalk.StartAsync(Browser, app, reviewer, viewport, name);
            var page = walk.Page;
            Assert.Equal("/Oversight", new Uri(page.Url).AbsolutePath);
            await Assertions.Expect(page.Locator("#oversight-figures .card")).ToHaveCountAsync(4);
            await walk.ShotAsync("overview");
            // The analyst's client among the people who looked things up (the test database has more people than the page lists): one
            // look-up under one purpose; their name leads to their entries in the audit log.
            await page.GetByLabel("Person (user or API client)").FillAsync(searcher);
            await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
            var person = page.Locator($"#people tr[data-actor='{searcher}']");
            await Assertions.Expect(person.Locator("[data-role=lookups]")).ToHaveTextAsync("1");
            await Assertions.Expect(person.Locator("[data-role=purposes]")).ToHaveTextAsync("1");
            await walk.ShotAsync("overview-person");
            await person.GetByRole(AriaRole.Link, new() { Name = searcher }).ClickAsync();
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/Audit");
            await Assertions.Expect(page.Locator("#audit tbody tr", new() { HasText = "WK*" })).ToHaveCountAsync(1);
            await page.GotoAsync("/Audit");
            await walk.ShotAsync("audit");

            // The thirty automatic entries carry the same words; folded, only the analyst's search is found.
            await page.GetByLabel("Purpose contains").FillAsync(purpose);
            await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
            // The filtered page has loaded (its scripts, the chart's among them, have run) before anything on it is read.
            await page.WaitForURLAsync(url => new Uri(url).Query.Contains("purpose=", StringComparison.Ordinal));
            var rows = page.Locator("#audit tbody tr");
            await Assertions.Expect(rows).ToHaveCountAsync(1);
            await Assertions.Expect(rows.First).ToContainTextAsync("WK*");
            await Assertions.Expect(rows.First.Locator("td", new() { HasText = purpose })).ToBeVisibleAsync();   // not clipped on a phone
            // The details' instants are in the city's time, and the chart counts what the table lists (automatic entries folded).
            await Assertions.Expect(rows.First.Locator(".audit-details > span")).Not.ToContainTextAsync("+00:00");
            await Assertions.Expect(rows.First.Locator(".audit-details > span")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"from: \d{4}-\d\d-\d\d \d\d:\d\d E[SD]T"));
            Assert.Equal(["Plates/search"], await page.EvaluateAsync<string[]>("() => Chart.getChart('audit-chart').data.datasets.map(d => d.label)"));
            await walk.ShotAsync("audit-search");

            await walk.GotoAsync("/Transparency");
            await Assertions.Expect(page.Locator("#usage tbody tr").First).ToBeVisibleAsync();
            await walk.ShotAsync("transparency");

            if (viewport.Width < 500)
                await OpenMenuAsync(page);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/Account/Login");
            await walk.GotoAsync("/Audit");
            Assert.Equal("/Account/Login", new Uri(page.Url).AbsolutePath);
            await walk.ShotAsync("signed-out");
            await walk.AssertCleanAsync();
        }
    }

    [Fact]
    public async Task The_public_reads_the_transparency_page_on_a_phone_and_a_desktop_without_signing_in()
    {
        foreach (var (viewport, name) in new[] { (RoleWalk.Phone, "public-phone"), (RoleWalk.Desktop, "public") })
        {
            await using var walk = await RoleWalk.StartAsync(Browser, app, null, viewport, name);
            await walk.GotoAsync("/Transparency");
            Assert.Equal("/Transparency", new Uri(walk.Page.Url).AbsolutePath);
            await Assertions.Expect(walk.Page.Locator("#retention")).ToContainTextAsync("30 days, then deleted");
            await Assertions.Expect(walk.Page.Locator("#usage tbody tr").First).ToBeVisibleAsync();
            await Assertions.Expect(walk.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToHaveCountAsync(0);
            await walk.ShotAsync("transparency");

            // Nothing else is public: the board sends the visitor to sign in.
            await walk.GotoAsync("/");
            Assert.Equal("/Account/Login", new Uri(walk.Page.Url).AbsolutePath);
            await walk.ShotAsync("board-needs-sign-in");
            await walk.AssertCleanAsync();
        }
    }
}
