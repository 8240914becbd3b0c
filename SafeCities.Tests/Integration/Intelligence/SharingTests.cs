using Microsoft.Extensions.Caching.Memory;
using SafeCities.Modules.Platform.ApiKeys;
using static SafeCities.Tests.Integration.Intelligence.IntelApi;

namespace SafeCities.Tests.Integration.Intelligence;

/// <summary>Sharing you can see (issue 14, ADR 0041): the public list of agencies that read data comes from the log of their reads; sharing rules as data.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SharingTests(AppFixture app)
{
    [Fact]
    public async Task The_public_list_names_only_agencies_that_actually_read_with_counts_equal_to_the_log()
    {
        var (jail, jailKey) = await app.RegisterAgencyAsync("jail");
        var (reader, readerName) = await RegisterAsync(new { kind = "police" });
        var (idle, idleName) = await RegisterAsync(new { kind = "court" });
        var last = Unique("Shared");
        var pushed = await app.PushOkAsync(jailKey, Person("P1", "Ada", last, "1980-01-01"), Person("P2", "Abe", last, "1981-02-02"),
            new { kind = "booking", sourceId = "B1", personSourceId = "P1", startedAt = DateTimeOffset.UtcNow.AddDays(-30), facility = "Central", charges = new[] { "theft" } });
        using var admin = app.AdminClient();
        foreach (var to in new[] { reader, idle })
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("api/v1/intelligence/sharing-agreements", new { fromAgencyId = jail, toAgencyId = to })).StatusCode);

        // The reading agency's analyst (an API client of that agency) searches and opens a person; the city's own analyst (no agency) does too.
        using var analyst = app.Client(await app.InScopeAsync(sp =>
            sp.GetRequiredService<ApiKeyService>().CreateClientAsync("sharing analyst", Roles.Analyst, "tests", default, reader)));
        var found = await (await analyst.GetAsync($"api/v1/intelligence/search?{Stated.Query}&purpose=case SHARE-1 {last}&name={last}")).ReadJsonAsync();
        Assert.Equal(2, found["persons"]!.AsArray().Count);
        var view = await analyst.GetAsync($"api/v1/intelligence/persons/{PersonIdOf(pushed, "P1")}?{Stated.Query}&purpose=case SHARE-1 {last}");
        Assert.Equal(HttpStatusCode.OK, view.StatusCode);
        using var cityAnalyst = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        Assert.Equal(HttpStatusCode.OK, (await cityAnalyst.GetAsync($"api/v1/intelligence/search?{Stated.Query}&purpose=case SHARE-1 {last}&name={last}")).StatusCode);

        // The log: the search returned 2 persons of the jail; the view 1 person and its booking. The idle agency read nothing.
        Assert.Equal(2, await app.CountAsync($"SELECT items FROM intelligence.agency_reads WHERE agency_id = '{reader}' AND action = 'search' AND data_class = 'persons'"));
        Assert.Equal(1, await app.CountAsync($"SELECT items FROM intelligence.agency_reads WHERE agency_id = '{reader}' AND action = 'view-person' AND data_class = 'persons'"));
        Assert.Equal(1, await app.CountAsync($"SELECT items FROM intelligence.agency_reads WHERE agency_id = '{reader}' AND action = 'view-person' AND data_class = 'bookings'"));
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM intelligence.agency_reads WHERE agency_id = '{idle}'"));
        // Each logged read has its audit entry, written with it (same actor, action and instant).
        Assert.Equal(0, await app.CountAsync($"""
            SELECT count(*) FROM intelligence.agency_reads r WHERE r.agency_id = '{reader}' AND NOT EXISTS
              (SELECT 1 FROM audit.entries e WHERE e.module = 'Intelligence' AND e.action = r.action AND e.actor = r.actor AND e.at = r.at)
            """));

        await app.InScopeAsync(sp => { ((MemoryCache)sp.GetRequiredService<IMemoryCache>()).Clear(); return Task.FromResult(0); });
        using var anonymous = app.Client();
        var response = await anonymous.GetAsync("transparency/agency-reads");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var reads = await response.ReadJsonAsync();
        var rows = reads["months"]!.AsArray().SelectMany(m => m!["agencies"]!.AsArray()).ToList();
        Assert.DoesNotContain(rows, r => r!["agency"]!.GetValue<string>() == idleName);
        var listed = Assert.Single(rows, r => r!["agency"]!.GetValue<string>() == readerName)!;
        var expected = await SqlCountsAsync(reader);
        var shown = listed["classes"]!.AsArray().ToDictionary(c => c!["dataClass"]!.GetValue<string>(), c => (c!["reads"]!.GetValue<long>(), c["items"]!.GetValue<long>()));
        Assert.Equal(expected.OrderBy(e => e.Key), shown.OrderBy(e => e.Key));
        Assert.Equal((2L, 3L), shown["persons"]);   // two reads (the search and the view), 2 + 1 persons

        var page = await anonymous.GetStringAsync("Transparency");
        Assert.Contains($"data-agency=\"{readerName}\" data-class=\"persons\"", page);
        Assert.DoesNotContain(idleName, page);
        Assert.DoesNotContain("Ada", page);   // agencies and counts only
    }

    [Fact]
    public async Task An_agreement_that_breaks_a_rule_is_refused_and_one_made_before_the_rule_is_blocked_with_its_queries()
    {
        var (jail, jailKey) = await app.RegisterAgencyAsync("jail");
        var (contractor, contractorName) = await RegisterAsync(new { kind = "police", sector = "private", state = "dc" });
        var (immigration, _) = await RegisterAsync(new { kind = "police", functions = new[] { "immigration-enforcement" } });
        var last = Unique("Rule");
        await app.PushOkAsync(jailKey, Person("P1", "Ria", last, "1982-03-03"));
        using var admin = app.AdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("api/v1/intelligence/sharing-agreements", new { fromAgencyId = jail, toAgencyId = contractor })).StatusCode);
        // Oversight reads the agreement in the audit log by the agencies' names, not only their ids.
        Assert.Equal(1, await app.CountAsync($"""
            SELECT count(*) FROM audit.entries WHERE action = 'add-sharing-agreement' AND details->>'to' = '{contractorName}'
              AND details->>'toAgencyId' = '{contractor}' AND details->>'from' = (SELECT name FROM intelligence.agencies WHERE id = '{jail}')
            """));
        using var analyst = app.Client(await app.InScopeAsync(sp =>
            sp.GetRequiredService<ApiKeyService>().CreateClientAsync("contractor analyst", Roles.Analyst, "tests", default, contractor)));
        var search = $"api/v1/intelligence/search?{Stated.Query}&purpose=case RULE-1 {last}&name={last}";
        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync(search)).StatusCode);

        var ruleName = Unique("Plates to public bodies only ");
        var created = await admin.PostAsJsonAsync("api/v1/intelligence/sharing-rules", new
        {
            name = ruleName, dataClass = "plates", allowedSectors = new[] { "public" }, deniedFunctions = new[] { "immigration-enforcement" }, citation = "test law",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var rule = (await created.ReadJsonAsync())["id"]!.GetValue<Guid>();
        try
        {
            // A new agreement with an immigration enforcement agency: refused, naming the rule; nothing written.
            var refused = await admin.PostAsJsonAsync("api/v1/intelligence/sharing-agreements", new { fromAgencyId = jail, toAgencyId = immigration });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains(ruleName, (await refused.ReadJsonAsync())["detail"]!.GetValue<string>());
            Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM intelligence.sharing_agreements WHERE to_agency_id = '{immigration}'"));

            // The agreement made before the rule is blocked: listed so, and its analysts' queries are refused with the reason (not an empty result).
            var agreements = (await (await admin.GetAsync("api/v1/intelligence/sharing-agreements")).ReadJsonAsync()).AsArray();
            var blocked = Assert.Single(agreements, a => a!["toAgencyId"]!.GetValue<Guid>() == contractor)!;
            Assert.Contains(ruleName, Assert.Single(blocked["blockedBy"]!.AsArray())!.GetValue<string>());
            var answer = await analyst.GetAsync(search);
            Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
            Assert.Contains(ruleName, (await answer.ReadJsonAsync())["detail"]!.GetValue<string>());
            Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'sharing-blocked' AND purpose = 'case RULE-1 {last}'"));
            Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM intelligence.agency_reads WHERE agency_id = '{contractor}'"));   // the read before the rule
            using var adminPage = await app.SignedInAsync(Users.Admin);
            var page = await adminPage.GetStringAsync("Intelligence/Admin/Sharing");
            Assert.Matches($"data-agreement=\"[^\"]+\" data-blocked=\"true\">\\s*<td data-label=\"Records of\">[^<]*</td>\\s*<td data-label=\"Seen by\">{System.Text.RegularExpressions.Regex.Escape(contractorName)}<", page);

            // The page's agreement form refuses it too, as a form error naming the rule.
            var form = await adminPage.PostFormAsync("Intelligence/Admin/Sharing?handler=Agreement",
                [new("Agreement.FromAgencyId", jail.ToString()), new("Agreement.ToAgencyId", immigration.ToString())]);
            Assert.Contains(ruleName, form);
            Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM intelligence.sharing_agreements WHERE to_agency_id = '{immigration}'"));

            // Disabled, the rule checks nothing: the queries run again. Every change is audited.
            var disable = await admin.PutAsJsonAsync($"api/v1/intelligence/sharing-rules/{rule}", new
            {
                name = ruleName, dataClass = "plates", allowedSectors = new[] { "public" }, deniedFunctions = new[] { "immigration-enforcement" }, enabled = false,
            });
            Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync(search)).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"api/v1/intelligence/sharing-rules/{rule}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"api/v1/intelligence/sharing-rules/{rule}")).StatusCode);
            Assert.Equal(3, await app.CountAsync($"""
                SELECT count(*) FROM audit.entries WHERE action IN ('add-sharing-rule', 'change-sharing-rule', 'delete-sharing-rule')
                  AND coalesce(details->'after'->>'name', details->'before'->>'name') = '{ruleName}'
                """));
        }
        finally
        {
            await admin.DeleteAsync($"api/v1/intelligence/sharing-rules/{rule}");
        }
    }

    [Fact]
    public async Task An_administrator_corrects_what_the_rules_see_of_an_agency_and_its_analysts_are_served_again()
    {
        var (agency, _) = await RegisterAsync(new { kind = "police", sector = "private" });
        using var admin = app.AdminClient();
        var ruleName = Unique("Plates to public agencies ");
        var rule = (await (await admin.PostAsJsonAsync("api/v1/intelligence/sharing-rules", new { name = ruleName, dataClass = "plates", allowedSectors = new[] { "public" } }))
            .ReadJsonAsync())["id"]!.GetValue<Guid>();
        try
        {
            using var analyst = app.Client(await app.InScopeAsync(sp =>
                sp.GetRequiredService<ApiKeyService>().CreateClientAsync("profile analyst", Roles.Analyst, "tests", default, agency)));
            var search = $"api/v1/intelligence/search?{Stated.Query}&purpose=case PROFILE-1&name={Unique("Nobody")}";
            Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync(search)).StatusCode);
            // A person of that agency is told on the search page, naming the rule, instead of seeing an empty result.
            var email = await app.CreateUserAsync(Roles.Analyst);
            Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"api/v1/users/{email}/agency", new { agencyId = agency })).StatusCode);
            using (var person = await app.SignedInAsync(email))
            {
                var page = await person.GetAsync($"Intelligence/Search?{Stated.Query}&purpose=case+PROFILE-1&name={Unique("Nobody")}");
                Assert.Equal(HttpStatusCode.OK, page.StatusCode);
                Assert.Contains(ruleName, await page.Content.ReadAsStringAsync());
            }

            var profile = $"api/v1/intelligence/agencies/{agency}/sharing-profile";
            Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync(profile, new { sector = "public", state = "California" })).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync(profile, new { sector = "charity" })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync(search)).StatusCode);   // the refused changes wrote nothing
            Assert.Equal(HttpStatusCode.NotFound,
                (await admin.PutAsJsonAsync($"api/v1/intelligence/agencies/{Guid.NewGuid()}/sharing-profile", new { sector = "public" })).StatusCode);
            var changed = await admin.PutAsJsonAsync(profile, new { sector = "public", state = "ca", functions = Array.Empty<string>() });
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
            Assert.Equal("CA", (await changed.ReadJsonAsync())["state"]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync(search)).StatusCode);
            Assert.Equal(1, await app.CountAsync($"""
                SELECT count(*) FROM audit.entries WHERE action = 'set-agency-sharing-profile' AND details->'before'->>'sector' = 'private'
                  AND details->'after'->>'sector' = 'public' AND details->'after'->>'id' = '{agency}'
                """));
        }
        finally
        {
            await admin.DeleteAsync($"api/v1/intelligence/sharing-rules/{rule}");
        }
    }

    [Fact]
    public async Task Rules_are_validated_and_California_SB_34_is_seeded_disabled()
    {
        using var admin = app.AdminClient();
        foreach (var bad in new object[]
                 {
                     new { name = Unique("Bad "), dataClass = "dna", allowedSectors = new[] { "public" } },
                     new { name = Unique("Bad "), dataClass = "plates", allowedStates = new[] { "California" } },
                     new { name = Unique("Bad "), dataClass = "plates", deniedFunctions = new[] { "tax-collection" } },
                     new { name = Unique("Bad "), dataClass = "plates" },   // restricts nothing
                 })
        {
            var response = await admin.PostAsJsonAsync("api/v1/intelligence/sharing-rules", bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        Assert.Equal(0, await app.CountAsync("SELECT count(*) FROM intelligence.sharing_rules WHERE name LIKE 'Bad %'"));
        var rules = (await (await admin.GetAsync("api/v1/intelligence/sharing-rules")).ReadJsonAsync()).AsArray();
        var sb34 = Assert.Single(rules, r => r!["name"]!.GetValue<string>() == "California SB 34")!;
        Assert.Equal("plates", sb34["dataClass"]!.GetValue<string>());
        Assert.Equal(["CA"], sb34["allowedStates"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(["public"], sb34["allowedSectors"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.False(sb34["enabled"]!.GetValue<bool>());
        using var analyst = app.Client(await app.CreateClientKeyAsync(Roles.Analyst));
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync("api/v1/intelligence/sharing-rules")).StatusCode);
    }

    private async Task<(Guid Id, string Name)> RegisterAsync(object body)
    {
        using var admin = app.AdminClient();
        var name = Unique("Sharing agency ");
        var json = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(body, System.Text.Json.JsonSerializerOptions.Web))!.AsObject();
        json["name"] = name;
        var created = await admin.PostAsJsonAsync("api/v1/intelligence/agencies", json);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return ((await created.ReadJsonAsync())["id"]!.GetValue<Guid>(), name);
    }

    private async Task<Dictionary<string, (long, long)>> SqlCountsAsync(Guid agency)
    {
        var counts = new Dictionary<string, (long, long)>();
        await using var connection = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(
            $"SELECT data_class, count(*), sum(items)::bigint FROM intelligence.agency_reads WHERE agency_id = '{agency}' GROUP BY 1", connection);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
            counts[r.GetString(0)] = (r.GetInt64(1), r.GetInt64(2));
        return counts;
    }
}
