using Microsoft.Extensions.Caching.Memory;
using Microsoft.Playwright;
using SafeCities.Modules.Platform.ApiKeys;
using SafeCities.Tests.Integration.Intelligence;
using static SafeCities.Tests.Integration.Intelligence.IntelApi;

namespace SafeCities.Tests.Browser.Walks;

/// <summary>
/// Sharing you can see (issue 14, ADR 0041): the public reads which agencies read data this month on the transparency page; an administrator
/// sees a sharing rule block an agreement, is refused a new one naming the rule, and edits the rule. Desktop and phone; screenshots <c>walk-sharing-*</c>.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class SharingWalkTests(AppFixture app) : BrowserTest
{
    [Fact]
    public async Task The_public_sees_the_agencies_that_read_and_an_administrator_sees_a_rule_block_an_agreement()
    {
        var (jail, jailKey) = await app.RegisterAgencyAsync("jail");
        var (reader, _) = await app.RegisterAgencyAsync("police");
        var last = Unique("Walk");
        await app.PushOkAsync(jailKey, Person("P1", "Wanda", last, "1984-04-04"));
        using var admin = app.AdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("api/v1/intelligence/sharing-agreements", new { fromAgencyId = jail, toAgencyId = reader })).StatusCode);
        using (var analyst = app.Client(await app.InScopeAsync(sp =>
                   sp.GetRequiredService<ApiKeyService>().CreateClientAsync("walk analyst", Roles.Analyst, "tests", default, reader))))
            Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync($"api/v1/intelligence/search?{Stated.Query}&purpose=case WALK-1&name={last}")).StatusCode);
        var readerName = (await (await admin.GetAsync("api/v1/intelligence/agencies")).ReadJsonAsync()).AsArray()
            .Single(a => a!["id"]!.GetValue<Guid>() == reader)!["name"]!.GetValue<string>();
        await app.InScopeAsync(sp => { ((MemoryCache)sp.GetRequiredService<IMemoryCache>()).Clear(); return Task.FromResult(0); });

        foreach (var (viewport, name) in new[] { (RoleWalk.Desktop, "sharing-public"), (RoleWalk.Phone, "sharing-public-phone") })
        {
            await using var walk = await RoleWalk.StartAsync(Browser, app, null, viewport, name);
            await walk.GotoAsync("/Transparency#agency-reads");
            var row = walk.Page.Locator($"#agency-reads-table tr[data-agency='{readerName}'][data-class='persons']");
            await row.ScrollIntoViewIfNeededAsync();
            await Assertions.Expect(row.Locator("[data-role='reads']")).ToHaveTextAsync("1");
            await Assertions.Expect(walk.Page.Locator("body")).Not.ToContainTextAsync("Wanda");
            await walk.ShotAsync("agency-reads");
            await walk.AssertCleanAsync();
        }

        // A private contractor the jail shared with before a rule said plate data goes to public agencies only.
        var contractorName = Unique("Walk towing contractor ");
        var created = await admin.PostAsJsonAsync("api/v1/intelligence/agencies", new { name = contractorName, kind = "police", sector = "private", state = "DC" });
        var contractor = (await created.ReadJsonAsync())["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("api/v1/intelligence/sharing-agreements", new { fromAgencyId = jail, toAgencyId = contractor })).StatusCode);
        var ruleName = Unique("Walk plates to public agencies ");
        var rule = (await (await admin.PostAsJsonAsync("api/v1/intelligence/sharing-rules", new
        {
            name = ruleName, dataClass = "plates", allowedSectors = new[] { "public" }, citation = "A walk's example of a state law.",
        })).ReadJsonAsync())["id"]!.GetValue<Guid>();
        try
        {
            foreach (var (viewport, name) in new[] { (RoleWalk.Desktop, "sharing-admin"), (RoleWalk.Phone, "sharing-admin-phone") })
            {
                await using var walk = await RoleWalk.StartAsync(Browser, app, Users.Admin, viewport, name);
                await walk.GotoAsync("/Intelligence/Admin/Sharing");
                await Assertions.Expect(walk.Page.Locator($"#sharing-rules tr[data-rule='{ruleName}']")).ToContainTextAsync("enabled");
                var blocked = walk.Page.Locator("#sharing-agreements tr[data-blocked='true']", new() { HasText = contractorName });
                await Assertions.Expect(blocked).ToContainTextAsync(ruleName);
                await walk.ShotAsync("rules-and-blocked-agreement");

                // A second agreement with the contractor (from the new police agency): refused on the form, naming the rule.
                await walk.Page.Locator("#Agreement_FromAgencyId").SelectOptionAsync(reader.ToString());
                await walk.Page.Locator("#Agreement_ToAgencyId").SelectOptionAsync(contractor.ToString());
                await walk.Page.GetByRole(AriaRole.Button, new() { Name = "Add agreement" }).ClickAsync();
                await Assertions.Expect(walk.Page.Locator("#agreement-form [role='alert']")).ToContainTextAsync(ruleName);
                await walk.ShotAsync("agreement-refused");
                await walk.AssertCleanAsync();
            }

            // The administrator edits the rule: disabled, it blocks nothing.
            await using (var walk = await RoleWalk.StartAsync(Browser, app, Users.Admin, RoleWalk.Desktop, "sharing-edit"))
            {
                await walk.GotoAsync($"/Intelligence/Admin/Sharing?edit={rule}");
                await Assertions.Expect(walk.Page.Locator("#Input_Name")).ToHaveValueAsync(ruleName);
                await walk.Page.Locator("#Input_Enabled").UncheckAsync();
                await walk.Page.GetByRole(AriaRole.Button, new() { Name = "Save rule" }).ClickAsync();
                await Assertions.Expect(walk.Page.Locator("#sharing-notice")).ToContainTextAsync("disabled");
                await Assertions.Expect(walk.Page.Locator("#sharing-agreements tr", new() { HasText = contractorName })).ToHaveAttributeAsync("data-blocked", "false");
                await walk.ShotAsync("rule-disabled");

                // The contractor turns out to be a public body: corrected from its row, the form opens with what the rules see of it now.
                await walk.Page.Locator("#sharing-agencies tr", new() { HasText = contractorName }).GetByRole(AriaRole.Link, new() { Name = "Change" }).ClickAsync();
                await Assertions.Expect(walk.Page.Locator("#Profile_State")).ToHaveValueAsync("DC");
                await Assertions.Expect(walk.Page.Locator("#Profile_Sector")).ToHaveValueAsync("private");
                await walk.Page.Locator("#Profile_Sector").SelectOptionAsync("public");
                await walk.Page.GetByRole(AriaRole.Button, new() { Name = "Save what the rules see of this agency" }).ClickAsync();
                await Assertions.Expect(walk.Page.Locator("#sharing-notice")).ToContainTextAsync(contractorName);
                await Assertions.Expect(walk.Page.Locator("#sharing-agencies tr", new() { HasText = contractorName })).ToContainTextAsync("public");
                await walk.ShotAsync("agency-corrected");
                await walk.AssertCleanAsync();
            }
        }
        finally
        {
            await admin.DeleteAsync($"api/v1/intelligence/sharing-rules/{rule}");
        }
    }
}
