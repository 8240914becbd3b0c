using Mediator;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Platform.Demo;
using static SafeCities.Tests.Integration.Intelligence.IntelApi;

namespace SafeCities.Tests.Integration.Intelligence;

/// <summary>The demo city's partner records: an analyst of the police sees people out of the box, linked across agencies and cases.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DemoIntelligenceTests(AppFixture app)
{
    [Fact]
    public async Task The_demo_analyst_works_for_the_police_sees_shared_records_their_case_links_and_is_told_what_the_prison_withholds()
    {
        var analystEmail = await app.CreateUserAsync(Roles.Analyst);
        var probationEmail = await app.CreateUserAsync(Roles.ProbationOfficer);
        await app.InScopeAsync(async sp =>
        {
            var sender = sp.GetRequiredService<ISender>();
            var agencies = new Dictionary<string, AgencyDto>();
            foreach (var kind in AgencyKinds.All)
                agencies[kind] = await sender.Send(new RegisterAgencyCommand(Unique($"demo {kind} "), kind));
            await sp.GetRequiredService<DemoIntelligence>().SeedAsync(agencies, analystEmail, probationEmail, default);
            return 0;
        });

        using var analyst = await app.SignedInAsync(analystEmail);
        var found = await (await analyst.GetAsync($"api/v1/intelligence/search?{Stated.Query}&purpose=demo check&name=Darnell Whitaker&dob=1991-04-12")).ReadJsonAsync();
        var darnell = Assert.Single(found["persons"]!.AsArray());
        Assert.Equal(3, darnell!["agencies"]!.AsArray().Count);   // police, court, jail; not the prison
        var id = darnell["personId"]!.GetValue<Guid>();

        var marsh = await (await analyst.GetAsync($"api/v1/intelligence/search?{Stated.Query}&purpose=demo check&name=Leon Marsh")).ReadJsonAsync();
        Assert.Empty(marsh["persons"]!.AsArray());
        Assert.Equal(1, marsh["withheld"]!["persons"]!.GetValue<int>());

        var person = await (await analyst.GetAsync($"api/v1/intelligence/persons/{id}?{Stated.Query}&purpose=demo check")).ReadJsonAsync();
        var edges = person["edges"]!.AsArray().Select(e => (Kind: e!["kind"]!.GetValue<string>(), From: e["from"]!.GetValue<string>(), To: e["to"]!.GetValue<string>(),
            Evidence: string.Join(" | ", e["evidence"]!.AsArray().Select(x => x!.GetValue<string>())))).ToList();
        Assert.Equal(3, edges.Count(e => e.Kind == GraphEdgeKinds.Identity));
        var byCase = edges.Where(e => e.Kind == GraphEdgeKinds.CaseNumber).ToList();
        Assert.Equal(2, byCase.Count);   // the court case ↔ the police's incident report, and ↔ the warrant
        Assert.All(byCase, e => Assert.StartsWith("court-case:", e.From));
        Assert.Contains(byCase, e => e.To.StartsWith("call-for-service:") && e.Evidence.Contains("2026-CF2-004417"));
        Assert.Contains(byCase, e => e.To.StartsWith("warrant:"));

        // Marcus Reed's warrant is active: his car is watched.
        Assert.Equal(1, await app.CountAsync("SELECT count(*) FROM plates.hotlist_entries WHERE plate = 'DMR4471' AND withdrawn_at IS NULL"));
    }
}
