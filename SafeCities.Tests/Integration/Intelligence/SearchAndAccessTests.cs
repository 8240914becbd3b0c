using Microsoft.AspNetCore.Identity;
using SafeCities.Modules.Platform.ApiKeys;
using static SafeCities.Tests.Integration.Intelligence.IntelApi;

namespace SafeCities.Tests.Integration.Intelligence;

[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SearchAndAccessTests(AppFixture app)
{
    private const string Probation = "probation@safecities.test";
    private const string Judge = "judge@safecities.test";

    [Fact]
    public async Task Name_search_forgives_spelling_sound_aliases_and_partial_dates_and_is_audited_with_purpose()
    {
        var (_, jail) = await app.RegisterAgencyAsync("jail");
        var last = Unique("Kowalski");
        var result = await app.PushOkAsync(jail, Person("K1", "Katherine", last, "1990-05-17", aliases: ["Kat Black"], address: "12 Elm Street NW"));
        var id = PersonIdOf(result, "K1");
        using var commander = app.Client(await app.CreateClientKeyAsync(Roles.Commander));

        async Task<JsonArray> Persons(string query)
        {
            var response = await commander.GetAsync($"api/v1/intelligence/search?{Stated.Query}&purpose=case 77-{last}&{query}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.ReadJsonAsync())["persons"]!.AsArray();
        }
        var misspelt = "Kowalsky" + last[8..];
        Assert.Contains(await Persons($"name=Catherine {misspelt}"), p => p!["personId"]!.GetValue<Guid>() == id);
        Assert.Contains(await Persons($"name={last}&dob=1990"), p => p!["personId"]!.GetValue<Guid>() == id);
        Assert.Contains(await Persons($"name=Katherine {last}&dob=1990-17-05".Replace("1990-17-05", "1990-05")), p => p!["personId"]!.GetValue<Guid>() == id);
        var alias = await Persons("name=Kat Black&dob=1990-05-17");
        Assert.Contains(alias, p => p!["personId"]!.GetValue<Guid>() == id && p["matchedOn"]!.AsArray().Any(m => m!.GetValue<string>() == "alias"));
        Assert.Contains(await Persons("address=12 Elm Street"), p => p!["personId"]!.GetValue<Guid>() == id);
        Assert.DoesNotContain(await Persons($"name=Katherine {last}&dob=1971"), p => p!["personId"]!.GetValue<Guid>() == id);

        var noPurpose = await commander.GetAsync($"api/v1/intelligence/search?name={last}");
        Assert.Equal(HttpStatusCode.BadRequest, noPurpose.StatusCode);
        Assert.Contains("purpose", (await noPurpose.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key));
        Assert.True(await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE module = 'Intelligence' AND action = 'search' AND purpose = 'case 77-{last}'") >= 6);
        await commander.GetAsync($"api/v1/intelligence/persons/{id}?{Stated.Query}&purpose=view {last}");
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'view-person' AND purpose = 'view {last}' AND details->>'personId' = '{id}'"));
    }

    [Fact]
    public async Task Plates_and_narrative_text_are_searchable()
    {
        var (_, police) = await app.RegisterAgencyAsync("police");
        var last = Unique("Nguyen");
        var plate = "Z" + Unique("")[..5].ToUpperInvariant();
        var word = Unique("crowbar");
        await app.PushOkAsync(police, Person("N1", "Minh", last, "1970-01-02"),
            new { kind = "vehicle", sourceId = "V1", personSourceId = "N1", vehicle = new { plate, region = "MD", make = "Ford", model = "Taurus" } },
            new { kind = "call-for-service", sourceId = "CFS1", personSourceId = "N1", startedAt = "2024-06-01T22:00:00Z", callType = "burglary",
                address = "400 K St NW", latitude = 38.9, longitude = -77.0, narrative = $"Caller saw a man with a {word} at the back door" });
        using var analyst = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        var byPlate = await (await analyst.GetAsync($"api/v1/intelligence/search?{Stated.Query}&purpose=plate check&plate={plate[..4]}")).ReadJsonAsync();
        var vehicle = Assert.Single(byPlate["vehicles"]!.AsArray());
        Assert.Equal(plate, vehicle!["plate"]!.GetValue<string>());
        Assert.Contains(last, vehicle["ownerName"]!.GetValue<string>());
        var byText = await (await analyst.GetAsync($"api/v1/intelligence/search?{Stated.Query}&purpose=burglary series&text={word}")).ReadJsonAsync();
        Assert.Equal("call-for-service", Assert.Single(byText["records"]!.AsArray())!["kind"]!.GetValue<string>());
    }

    /// <summary>One person known to a jail, a parole office (supervised by the demo probation officer), a court and the police.</summary>
    private async Task<(Guid Person, Guid Police, string Last)> PersonKnownEverywhereAsync(string? supervisor = Probation)
    {
        var (_, jail) = await app.RegisterAgencyAsync("jail");
        var (_, parole) = await app.RegisterAgencyAsync("parole-probation");
        var (_, court) = await app.RegisterAgencyAsync("court");
        var (police, policeKey) = await app.RegisterAgencyAsync("police");
        var last = Unique("Matrix");
        var person = PersonIdOf(await app.PushOkAsync(jail, Person("P", "Rex", last, "1988-08-08"),
            new { kind = "booking", sourceId = "B", personSourceId = "P", facility = "County Jail", startedAt = "2023-01-01T00:00:00Z", charges = new[] { "assault" } }), "P");
        await app.PushOkAsync(parole, Person("P", "Rex", last, "1988-08-08"),
            new { kind = "supervision", sourceId = "S", personSourceId = "P", startedAt = "2024-01-01T00:00:00Z", supervisingOfficer = supervisor,
                status = "parole", conditions = "curfew 22:00" });
        await app.PushOkAsync(court, Person("P", "Rex", last, "1988-08-08"),
            new { kind = "court-case", sourceId = "C-open", personSourceId = "P", caseNumber = "2024-CF-1", disposition = "guilty plea", narrative = "open case narrative" },
            new { kind = "court-case", sourceId = "C-sealed", personSourceId = "P", caseNumber = "2010-JV-9", @sealed = true, disposition = "juvenile, sealed" },
            new { kind = "warrant", sourceId = "W", personSourceId = "P", status = "active", charges = new[] { "failure to appear" } });
        await app.PushOkAsync(policeKey, Person("P", "Rex", last, "1988-08-08"),
            new { kind = "call-for-service", sourceId = "CFS", personSourceId = "P", startedAt = "2024-05-05T21:00:00Z", callType = "disturbance", narrative = "loud argument" });
        return (person, police, last);
    }

    private static Dictionary<string, JsonNode> ByKind(JsonNode person) =>
        person["records"]!.AsArray().GroupBy(r => r!["kind"]!.GetValue<string>() + (r!["sealed"]!.GetValue<bool>() ? ":sealed" : ""))
            .ToDictionary(g => g.Key, g => g.First()!);

    [Fact]
    public async Task Each_role_sees_exactly_what_the_access_rules_allow()
    {
        var (id, police, last) = await PersonKnownEverywhereAsync();
        async Task<(HttpStatusCode, JsonNode?)> View(HttpClient client)
        {
            var r = await client.GetAsync($"api/v1/intelligence/persons/{id}?{Stated.Query}&purpose=access matrix {last}");
            return (r.StatusCode, r.StatusCode == HttpStatusCode.OK ? await r.ReadJsonAsync() : null);
        }

        // Beat officer: warrants and calls in full, supervision and custody as flags, court only as an unsealed summary.
        var (_, officer) = await View(app.Client(await app.CreateClientKeyAsync(Roles.Officer)));
        var o = ByKind(officer!);
        Assert.Equal(["booking", "call-for-service", "court-case", "supervision", "warrant"], o.Keys.Order().ToArray());
        Assert.Equal("full", o["warrant"]["access"]!.GetValue<string>());
        Assert.Equal("failure to appear", o["warrant"]["details"]!["charges"]!.GetValue<string>());
        Assert.Equal("summary", o["supervision"]["access"]!.GetValue<string>());
        Assert.Null(o["supervision"]["details"]);
        Assert.Equal("summary", o["court-case"]["access"]!.GetValue<string>());
        Assert.Null(o["court-case"]["narrative"]);
        Assert.Contains("under supervision", officer!["flags"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.True(officer["plateSightingsVisible"]!.GetValue<bool>());

        // Judge: court in full, sealed included, criminal history; no calls for service, no live plate sightings.
        using var judge = await app.SignedInAsync(Judge);
        var (_, judged) = await View(judge);
        var j = ByKind(judged!);
        Assert.Equal(["booking", "court-case", "court-case:sealed", "supervision", "warrant"], j.Keys.Order().ToArray());
        Assert.Equal("juvenile, sealed", j["court-case:sealed"]["details"]!["disposition"]!.GetValue<string>());
        Assert.Equal("curfew 22:00", j["supervision"]["details"]!["conditions"]!.GetValue<string>());
        Assert.False(judged!["plateSightingsVisible"]!.GetValue<bool>());

        // The supervising probation officer sees their supervisee fully (never sealed); another probation officer sees nothing.
        using var probation = await app.SignedInAsync(Probation);
        var (_, supervised) = await View(probation);
        var p = ByKind(supervised!);
        Assert.Equal(["booking", "call-for-service", "court-case", "supervision", "warrant"], p.Keys.Order().ToArray());
        Assert.All(p.Values, r => Assert.Equal("full", r["access"]!.GetValue<string>()));
        var otherProbation = app.Client(await app.CreateClientKeyAsync(Roles.ProbationOfficer));
        Assert.Equal(HttpStatusCode.NotFound, (await View(otherProbation)).Item1);

        // Analysts see what their agency's sharing agreements allow: nothing without an agency, the police's own records with it.
        var lone = app.Client(await app.CreateClientKeyAsync(Roles.Analyst));
        Assert.Equal(HttpStatusCode.NotFound, (await View(lone)).Item1);
        var policeAnalystKey = await app.InScopeAsync(sp => sp.GetRequiredService<ApiKeyService>().CreateClientAsync("police analyst", Roles.Analyst, "tests", default, police));
        var (_, analysed) = await View(app.Client(policeAnalystKey));
        Assert.Equal(["call-for-service"], ByKind(analysed!).Keys.ToArray());
        var hits = (await (await app.Client(policeAnalystKey).GetAsync($"api/v1/intelligence/search?{Stated.Query}&purpose=matrix&name=Rex {last}&dob=1988")).ReadJsonAsync())["persons"]!.AsArray();
        var hit = Assert.Single(hits, h => h!["personId"]!.GetValue<Guid>() == id);
        Assert.Single(hit!["agencies"]!.AsArray());   // only the police's own record of him, not the jail's, court's or parole's

        // Commander: everything but sealed.
        var (_, commanded) = await View(app.Client(await app.CreateClientKeyAsync(Roles.Commander)));
        Assert.Equal(["booking", "call-for-service", "court-case", "supervision", "warrant"], ByKind(commanded!).Keys.Order().ToArray());
    }

    [Fact]
    public async Task Rules_are_data_administrators_change_them_per_agency_and_kind_and_the_query_layer_follows()
    {
        var (id, police, last) = await PersonKnownEverywhereAsync();
        using var admin = app.AdminClient();
        var policeAnalyst = app.Client(await app.InScopeAsync(sp =>
            sp.GetRequiredService<ApiKeyService>().CreateClientAsync("police analyst 2", Roles.Analyst, "tests", default, police)));
        async Task<string[]> Kinds() => ByKind(await (await policeAnalyst.GetAsync($"api/v1/intelligence/persons/{id}?{Stated.Query}&purpose=rules {last}")).ReadJsonAsync())
            .Keys.Order().ToArray();
        Assert.Equal(["call-for-service"], await Kinds());

        // Police analysts (only those of this police agency) may see warrants from every agency, as summaries.
        var put = await admin.PutAsJsonAsync("api/v1/intelligence/access-rules",
            new { role = Roles.Analyst, recordKind = "warrant", access = "summary", scope = "all", agencyId = police });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(["call-for-service", "warrant"], await Kinds());
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'set-access-rule' AND details->>'agencyId' = '{police}'"));

        // And a denial for this agency overrides the default rule for calls for service.
        await admin.PutAsJsonAsync("api/v1/intelligence/access-rules", new { role = Roles.Analyst, recordKind = "call-for-service", access = "none", scope = "all", agencyId = police });
        Assert.Equal(["warrant"], await Kinds());

        var bad = await admin.PutAsJsonAsync("api/v1/intelligence/access-rules", new { role = "Janitor", recordKind = "warrant", access = "all", scope = "all" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Client(await app.CreateClientKeyAsync(Roles.Analyst)).GetAsync("api/v1/intelligence/access-rules")).StatusCode);
    }

    [Fact]
    public async Task A_users_agency_claim_follows_sharing_agreements()
    {
        var (id, police, last) = await PersonKnownEverywhereAsync();
        var (otherAgency, _) = await app.RegisterAgencyAsync("police");
        var email = $"analyst-{Guid.NewGuid():N}@safecities.test";
        await app.InScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<IdentityUser>>();
            await sp.GetRequiredService<SafeCities.Modules.Platform.Identity.IdentitySeeder>().EnsureUserAsync(email, AppFixture.DemoPassword, Roles.Analyst);
            return 0;
        });
        using var admin = app.AdminClient();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"api/v1/users/{email}/agency", new { agencyId = otherAgency })).StatusCode);
        using var analyst = await app.SignedInAsync(email);
        Assert.Equal(HttpStatusCode.NotFound, (await analyst.GetAsync($"api/v1/intelligence/persons/{id}?{Stated.Query}&purpose=share {last}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("api/v1/intelligence/sharing-agreements", new { fromAgencyId = police, toAgencyId = otherAgency })).StatusCode);
        var seen = await (await analyst.GetAsync($"api/v1/intelligence/persons/{id}?{Stated.Query}&purpose=share {last}")).ReadJsonAsync();
        Assert.Equal(["call-for-service"], ByKind(seen).Keys.ToArray());
    }
}
