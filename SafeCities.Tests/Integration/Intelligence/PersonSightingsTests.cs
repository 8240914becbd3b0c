namespace SafeCities.Tests.Integration.Intelligence;

/// <summary>The person page joins Plates (their vehicles' sightings) and Alerts (incidents near them), as the access rules allow.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PersonSightingsTests(AppFixture app)
{
    private const string Judge = "judge@safecities.test";

    private static async Task<JsonNode> ViewAsync(HttpClient client, Guid id, string purpose)
    {
        var response = await client.GetAsync($"api/v1/intelligence/persons/{id}?{Stated.Query}&purpose={Uri.EscapeDataString(purpose)}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    private static JsonNode Incident(JsonNode person, Guid id) =>
        Assert.Single(person["incidents"]!.AsArray(), i => i!["id"]!.GetValue<Guid>() == id)!;

    private static IEnumerable<string> Strings(JsonNode? array) => array!.AsArray().Select(x => x!.GetValue<string>());

    private static IEnumerable<(string From, string To, string Label)> Edges(JsonNode person) =>
        person["edges"]!.AsArray().Select(e => (e!["from"]!.GetValue<string>(), e["to"]!.GetValue<string>(), e["label"]!.GetValue<string>()));

    private Task<long> PlateLookupsAsync(string actor, string purpose) => app.CountAsync(
        $"SELECT count(*) FROM audit.entries WHERE module = 'Plates' AND action = 'vehicle-sightings' AND actor = '{actor}' AND purpose = '{purpose}'");

    /// <summary>No sightings, and Plates was not even asked (no look-up in its audit log).</summary>
    private async Task AssertNoSightingsAsync(JsonNode person, string actor, string purpose)
    {
        Assert.False(person["plateSightingsVisible"]!.GetValue<bool>());
        Assert.Empty(person["sightings"]!.AsArray());
        Assert.Equal(0, await PlateLookupsAsync(actor, purpose));
    }

    [Fact]
    public async Task An_officer_sees_the_sightings_of_the_persons_vehicle_and_the_incidents_near_them_as_timeline_and_graph()
    {
        var p = await SightedPerson.CreateAsync(app);
        using var officer = await app.SignedInAsync(Users.Officer);
        var purpose = $"case 5-{p.Last}";

        var person = await ViewAsync(officer, p.Id, purpose);

        Assert.True(person["plateSightingsVisible"]!.GetValue<bool>());
        var sightings = person["sightings"]!.AsArray();
        Assert.True(sightings.Count == 2, sightings.ToJsonString());   // both reads of their car, nobody else's
        Assert.All(sightings, s => Assert.Equal(p.Plate, s!["plate"]!.GetValue<string>()));
        Assert.True(sightings[0]!["capturedAt"]!.GetValue<DateTimeOffset>() > sightings[1]!["capturedAt"]!.GetValue<DateTimeOffset>(), "newest first");
        var vehicleId = person["vehicles"]![0]!["vehicleId"]!.GetValue<Guid>();
        var tiedRead = Assert.Single(sightings, s => s!["incidentIds"]!.AsArray().Any(i => i!.GetValue<Guid>() == p.Tied))!;
        Assert.Equal(vehicleId, tiedRead["vehicleId"]!.GetValue<Guid>());
        Assert.Equal("silver Honda Civic", tiedRead["description"]!.GetValue<string>());

        Assert.True(person["incidentsVisible"]!.GetValue<bool>());
        Assert.Equal(new[] { p.Near, p.Tied, p.Called }, person["incidents"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()).ToArray());   // newest first
        var tied = Incident(person, p.Tied);
        Assert.Equal("full", tied["access"]!.GetValue<string>());
        Assert.NotNull(tied["latitude"]);
        Assert.Contains(Strings(tied["reasons"]), r => r.StartsWith($"{p.Plate} read 120 m away, tied by Plates"));
        Assert.Contains(Strings(Incident(person, p.Near)["reasons"]), r => r.StartsWith($"{p.Plate} read 300 m away ("));
        Assert.Contains(Strings(Incident(person, p.Called)["reasons"]), r => r.StartsWith("call-for-service CFS 80 m away"));
        // One clock: the reasons give the city's time, labelled with its zone, never UTC.
        Assert.All(Strings(tied["reasons"]).Concat(Strings(Incident(person, p.Called)["reasons"])),
            r => Assert.Matches(@"\(\d{4}-\d{2}-\d{2} \d{2}:\d{2} E[SD]T[,)]", r));

        var edges = Edges(person).ToList();
        Assert.Contains(($"vehicle:{vehicleId}", $"incident:{p.Tied}", "read 120 m away, tied by Plates"), edges);
        Assert.Contains(($"vehicle:{vehicleId}", $"incident:{p.Near}", "read 300 m away"), edges);
        Assert.Contains(($"person:{p.Id}", $"incident:{p.Called}", "call-for-service CFS 80 m away"), edges);
        Assert.Contains(($"person:{p.Id}", $"vehicle:{vehicleId}", "registered owner"), edges);

        var timeline = person["timeline"]!.AsArray().Select(t => (Kind: t!["kind"]!.GetValue<string>(), Id: t["id"]!.GetValue<Guid>())).ToList();
        Assert.Equal(3, timeline.Count(t => t.Kind == "incident"));
        Assert.Contains(timeline, t => t.Kind == "call-for-service");
        var at = person["timeline"]!.AsArray().Select(t => t!["at"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(at.OrderDescending(), at);

        // The plate look-up is Plates' to audit, with the person view's purpose, and oversight sees it with the searches.
        Assert.Equal(1, await PlateLookupsAsync(Users.Officer, purpose));
        Assert.Equal(1, await app.CountAsync($"""
            SELECT count(*) FROM audit.entries WHERE action = 'vehicle-sightings' AND purpose = '{purpose}'
              AND details->'vehicles'->0->>'plate' = '{p.Plate}' AND details->>'reference' = 'intelligence person {p.Id}'
            """));
        using var admin = app.AdminClient();
        var audit = await (await admin.GetAsync($"api/v1/audit?module=Plates&actor={Uri.EscapeDataString(Users.Officer)}")).ReadJsonAsync();
        Assert.Contains(audit["entries"]!.AsArray(), a => a!["action"]!.GetValue<string>() == "vehicle-sightings" && a["purpose"]!.GetValue<string>() == purpose);
    }

    [Fact]
    public async Task A_judge_gets_no_sightings_and_no_incidents_and_plates_is_not_asked()
    {
        var p = await SightedPerson.CreateAsync(app);
        using var judge = await app.SignedInAsync(Judge);
        var purpose = $"bail hearing {p.Last}";

        var person = await ViewAsync(judge, p.Id, purpose);

        await AssertNoSightingsAsync(person, Judge, purpose);
        Assert.False(person["incidentsVisible"]!.GetValue<bool>());
        Assert.Empty(person["incidents"]!.AsArray());
        Assert.DoesNotContain(Edges(person), e => e.To.StartsWith("incident:"));
        var page = await judge.GetStringAsync($"Intelligence/Persons/{p.Id}?{Stated.Query}&purpose={Uri.EscapeDataString(purpose)}");
        Assert.Contains("id=\"no-sightings\"", page);
        Assert.Contains("id=\"no-incidents\"", page);
        Assert.DoesNotContain(p.Tied.ToString(), page);
    }

    [Fact]
    public async Task The_supervising_probation_officer_sees_incidents_near_their_supervisees_records_in_summary_and_no_sightings()
    {
        var p = await SightedPerson.CreateAsync(app);
        using var probation = await app.SignedInAsync(SightedPerson.Probation);
        var purpose = $"supervision review {p.Last}";

        var person = await ViewAsync(probation, p.Id, purpose);

        await AssertNoSightingsAsync(person, SightedPerson.Probation, purpose);
        Assert.True(person["incidentsVisible"]!.GetValue<bool>());
        var called = Assert.Single(person["incidents"]!.AsArray())!;   // not the ones only their car's reads would show
        Assert.Equal(p.Called, called["id"]!.GetValue<Guid>());
        Assert.Equal("summary", called["access"]!.GetValue<string>());
        Assert.Null(called["latitude"]);
        var page = await probation.GetStringAsync($"Intelligence/Persons/{p.Id}?{Stated.Query}&purpose={Uri.EscapeDataString(purpose)}");
        Assert.Contains($"data-incident-id=\"{p.Called}\"", page);
        Assert.DoesNotContain($"/Alerts/Incidents/Details/{p.Called}", page);   // they have no incident pages
    }
}
