using Mediator;
using Microsoft.Extensions.Caching.Memory;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Platform.ApiKeys;
using static SafeCities.Tests.Integration.Intelligence.IntelApi;

namespace SafeCities.Tests.Integration.Plates;

/// <summary>
/// Agencies' reads through Plates (ADR 0051): a plate search by a viewer of another agency is logged in Intelligence's agency-reads log with its
/// audit entry and listed publicly; a city department's is not; an agency a sharing rule forbids plate data is refused, and the refusal audited.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AgencyPlateReadsTests(AppFixture app)
{
    [Fact]
    public async Task An_agency_viewers_plate_search_is_logged_and_listed_a_city_viewers_is_not_and_a_blocked_agency_is_refused()
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon);
        var plate = HotlistKit.Plate();
        var now = DateTimeOffset.UtcNow;
        await app.SendReadsAsync(key, PlatesKit.Read("a1", plate, now.AddHours(-3)), PlatesKit.Read("a2", plate, now.AddHours(-1)));

        var (inState, inStateName) = await RegisterAsync(new { kind = "police", sector = "public", state = "CA" });
        var (outOfState, outOfStateName) = await RegisterAsync(new { kind = "police", sector = "public", state = "NV" });
        var (city, cityName) = await RegisterAsync(new { kind = "police", sector = "public", partOfCity = true });
        using var admin = app.AdminClient();
        var ruleName = Unique("Plates stay in California ");
        var created = await admin.PostAsJsonAsync("api/v1/intelligence/sharing-rules", new
        {
            name = ruleName, dataClass = "plates", allowedSectors = new[] { "public" }, allowedStates = new[] { "CA" }, citation = "SB 34 (test)", enabled = true,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var rule = (await created.ReadJsonAsync())["id"]!.GetValue<Guid>();
        try
        {
            var purpose = $"case PLATE-SHARE-{Random.Shared.Next(1_000_000)}";
            var search = $"api/v1/plates/search?{Stated.Query}&plate={plate}&purpose={Uri.EscapeDataString(purpose)}";
            Task<HttpClient> AnalystOf(Guid agency) => app.InScopeAsync(async sp =>
                app.Client(await sp.GetRequiredService<ApiKeyService>().CreateClientAsync($"plates analyst {agency}", Roles.Analyst, "tests", default, agency)));

            // Another agency's analyst: served, and the read is logged with the same actor, action and instant as its audit entry.
            using var agencyAnalyst = await AnalystOf(inState);
            var found = await agencyAnalyst.GetAsync(search);
            Assert.True(found.StatusCode == HttpStatusCode.OK, await found.Content.ReadAsStringAsync());
            Assert.Equal(2, (await found.ReadJsonAsync())["sightings"]!.GetValue<int>());
            Assert.Equal(2, await app.CountAsync($"SELECT items FROM intelligence.agency_reads WHERE agency_id = '{inState}' AND data_class = 'plates' AND action = 'search'"));
            Assert.Equal(1, await app.CountAsync($"""
                SELECT count(*) FROM intelligence.agency_reads r JOIN audit.entries e
                  ON e.module = 'Plates' AND e.action = r.action AND e.actor = r.actor AND e.at = r.at AND e.purpose = '{purpose}'
                WHERE r.agency_id = '{inState}'
                """));

            // A department of the city reads the city's own plate data: served, not logged (and the rule does not apply to it).
            using var cityAnalyst = await AnalystOf(city);
            Assert.Equal(HttpStatusCode.OK, (await cityAnalyst.GetAsync(search)).StatusCode);
            Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM intelligence.agency_reads WHERE agency_id = '{city}'"));

            // An out-of-state agency: refused naming the rule (not an empty result), the refusal audited, no search run or logged.
            using var blockedAnalyst = await AnalystOf(outOfState);
            var refused = await blockedAnalyst.GetAsync(search);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains(ruleName, (await refused.ReadJsonAsync())["detail"]!.GetValue<string>());
            Assert.Equal(1, await app.CountAsync($"""
                SELECT count(*) FROM audit.entries WHERE module = 'Plates' AND action = 'sharing-blocked' AND purpose = '{purpose}'
                  AND details->>'action' = 'search' AND details->>'agencyId' = '{outOfState}'
                """));
            Assert.Equal(2, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE module = 'Plates' AND action = 'search' AND purpose = '{purpose}'"));
            Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM intelligence.agency_reads WHERE agency_id = '{outOfState}'"));

            // The rules hold without an HTTP request (another module or a job sending the look-up): the message carries the viewer's agency.
            var inProcess = await Assert.ThrowsAsync<DomainRuleException>(() => app.InScopeAsync(async sp =>
                await sp.GetRequiredService<ISender>().Send(new SearchPlateReadsCommand("plates job for another agency", outOfState, purpose, plate, false,
                    null, null, null, null, null, null, null, null, null, CaseNumber: Stated.CaseNumber, Offence: Stated.Offence))));
            Assert.Equal(403, inProcess.StatusCode);
            Assert.Contains(ruleName, inProcess.Message);
            Assert.Equal(1, await app.CountAsync($"""
                SELECT count(*) FROM audit.entries WHERE module = 'Plates' AND action = 'sharing-blocked' AND actor = 'plates job for another agency'
                  AND details->>'agencyId' = '{outOfState}'
                """));

            // The public list, computed from the log: the reading agency with its plate reads; neither the city department nor the refused agency.
            await app.InScopeAsync(sp => { ((MemoryCache)sp.GetRequiredService<IMemoryCache>()).Clear(); return Task.FromResult(0); });
            using var anonymous = app.Client();
            var reads = await (await anonymous.GetAsync("transparency/agency-reads")).ReadJsonAsync();
            var rows = reads["months"]!.AsArray().SelectMany(m => m!["agencies"]!.AsArray()).ToList();
            var listed = Assert.Single(rows, r => r!["agency"]!.GetValue<string>() == inStateName)!;
            var plates = Assert.Single(listed["classes"]!.AsArray(), c => c!["dataClass"]!.GetValue<string>() == "plates")!;
            Assert.Equal((1, 2), (plates["reads"]!.GetValue<int>(), plates["items"]!.GetValue<int>()));
            Assert.DoesNotContain(rows, r => r!["agency"]!.GetValue<string>() == cityName || r!["agency"]!.GetValue<string>() == outOfStateName);
        }
        finally
        {
            await admin.DeleteAsync($"api/v1/intelligence/sharing-rules/{rule}");
        }
    }

    private async Task<(Guid Id, string Name)> RegisterAsync(object body)
    {
        using var admin = app.AdminClient();
        var name = Unique("Plates reader agency ");
        var json = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(body, System.Text.Json.JsonSerializerOptions.Web))!.AsObject();
        json["name"] = name;
        var created = await admin.PostAsJsonAsync("api/v1/intelligence/agencies", json);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return ((await created.ReadJsonAsync())["id"]!.GetValue<Guid>(), name);
    }
}
