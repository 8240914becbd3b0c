using System.Text.RegularExpressions;
using SafeCities.Modules.Intelligence.Contracts;
using static SafeCities.Tests.Integration.Intelligence.IntelApi;

namespace SafeCities.Tests.Integration.Intelligence;

/// <summary>The Intelligence admin pages: access rules and the watchlist, changed through the pages, enforced in the query layer, audited.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed partial class AdminPagesTests(AppFixture app)
{
    [Fact]
    public async Task An_agency_rule_set_on_the_page_hides_court_cases_from_that_agencys_officers_and_is_audited()
    {
        var (court, feed) = await app.RegisterAgencyAsync("court");
        var last = Unique("Rule");
        var caseNumber = $"2024-CF-{Unique("n")}";
        var person = PersonIdOf(await app.PushOkAsync(feed, Person("P", "Rita", last, "1988-08-08"),
            new { kind = "court-case", sourceId = "C", personSourceId = "P", caseNumber }), "P");
        var officer = await app.CreateUserAsync(Roles.Officer);
        using (var admin = app.AdminClient())
            Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"api/v1/users/{officer}/agency", new { agencyId = court })).StatusCode);
        using var officerClient = await app.SignedInAsync(officer);
        Assert.Contains($"Court case {caseNumber}", await officerClient.GetStringAsync($"Intelligence/Persons/{person}?{Stated.Query}&purpose=rule-before-{last}"));

        using var adminPage = await app.SignedInAsync(Users.Admin);
        var form = await adminPage.GetStringAsync("Intelligence/Admin/AccessRules");
        Assert.Contains("id=\"access-rules\"", form);
        var bad = await Post(adminPage, "Intelligence/Admin/AccessRules", form, new()
        {
            ["Input.Role"] = Roles.Officer, ["Input.RecordKind"] = "court-case", ["Input.Access"] = "everything", ["Input.Scope"] = "all", ["Input.AgencyId"] = court.ToString(),
        });
        Assert.Contains("&#x27;Access&#x27; must be one of", bad);
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM intelligence.access_rules WHERE agency_id = '{court}'"));

        var saved = await Post(adminPage, "Intelligence/Admin/AccessRules", form, new()
        {
            ["Input.Role"] = Roles.Officer, ["Input.RecordKind"] = "court-case", ["Input.Access"] = "none", ["Input.Scope"] = "all", ["Input.AgencyId"] = court.ToString(),
        });
        Assert.Contains("id=\"rule-saved\"", saved);
        Assert.Equal(1, await app.CountAsync(
            $"SELECT count(*) FROM intelligence.access_rules WHERE agency_id = '{court}' AND role = 'Officer' AND record_kind = 'court-case' AND access = 'none'"));
        Assert.Equal(1, await app.CountAsync(
            $"SELECT count(*) FROM audit.entries WHERE action = 'set-access-rule' AND actor = '{Users.Admin}' AND details->>'agencyId' = '{court}'"));

        var after = await officerClient.GetStringAsync($"Intelligence/Persons/{person}?{Stated.Query}&purpose=rule-after-{last}");
        Assert.Contains($"Rita {last}", after);
        Assert.DoesNotContain(caseNumber, after);
    }

    [Fact]
    public async Task The_watchlist_page_adds_an_entry_audited_and_refuses_an_entry_watching_two_things()
    {
        var plate = "WL" + Unique("")[..6].ToUpperInvariant();
        using var adminPage = await app.SignedInAsync(Users.Admin);
        var form = await adminPage.GetStringAsync("Intelligence/Admin/Watchlist");
        var name = Unique("Task force ");
        var bad = await Post(adminPage, "Intelligence/Admin/Watchlist", form, new()
        {
            ["Input.Name"] = name, ["Input.Plate"] = plate, ["Input.PersonId"] = Guid.NewGuid().ToString(),
        });
        Assert.Contains("Give exactly one of personId, plate or criteria.", bad);
        var added = await Post(adminPage, "Intelligence/Admin/Watchlist", form, new() { ["Input.Name"] = name, ["Input.Plate"] = plate.ToLowerInvariant() });
        Assert.Contains("id=\"entry-added\"", added);
        Assert.Contains($"plate {plate}", added);
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM intelligence.watchlist WHERE plate = '{plate}' AND created_by = '{Users.Admin}'"));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'add-watchlist-entry' AND details->>'plate' = '{plate}'"));
    }

    [Fact]
    public async Task The_watchlist_page_removes_an_entry_with_its_button_and_reports_an_unknown_one()
    {
        var plate = "WR" + Unique("")[..6].ToUpperInvariant();
        using var adminPage = await app.SignedInAsync(Users.Admin);
        var form = await adminPage.GetStringAsync("Intelligence/Admin/Watchlist");
        await Post(adminPage, "Intelligence/Admin/Watchlist", form, new() { ["Input.Name"] = Unique("Removable "), ["Input.Plate"] = plate });
        var id = await app.InScopeAsync(async sp => (await sp.GetRequiredService<Mediator.ISender>().Send(new ListWatchlistQuery())).Single(e => e.Plate == plate).Id);
        var listed = await adminPage.GetStringAsync("Intelligence/Admin/Watchlist");
        Assert.Contains($"action=\"/Intelligence/Admin/Watchlist?id={id}&amp;handler=Remove\"", listed);

        var removed = await Post(adminPage, $"Intelligence/Admin/Watchlist?id={id}&handler=Remove", listed, []);

        Assert.Contains("id=\"entry-removed\"", removed);
        Assert.DoesNotContain($"plate {plate}", removed);
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM intelligence.watchlist WHERE id = '{id}' AND removed_by = '{Users.Admin}'"));
        var unknown = await Post(adminPage, $"Intelligence/Admin/Watchlist?id={Guid.NewGuid()}&handler=Remove", listed, []);
        Assert.Contains("No such watchlist entry.", unknown);
    }

    [Theory]
    [InlineData("Intelligence/Admin/AccessRules")]
    [InlineData("Intelligence/Admin/Watchlist")]
    [InlineData("Intelligence/Admin/Import")]
    public async Task Only_administrators_open_the_admin_pages(string page)
    {
        using var analyst = await app.SignedInAsync(Users.Analyst);
        var response = await analyst.GetAsync(page);
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        using var admin = await app.SignedInAsync(Users.Admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(page)).StatusCode);
    }

    private static async Task<string> Post(HttpClient client, string page, string form, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = Browserless.AntiforgeryToken(form);
        var response = await client.PostAsync(page, new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

}
