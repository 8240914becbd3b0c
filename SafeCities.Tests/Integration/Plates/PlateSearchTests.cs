using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Tests.Integration.Plates;

[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PlateSearchTests(AppFixture app)
{
    [Fact]
    public async Task A_search_without_purpose_is_refused_and_a_search_with_one_is_audited_with_its_terms()
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon);
        var plate = HotlistKit.Plate();
        var now = DateTimeOffset.UtcNow;
        await app.SendReadsAsync(key, PlatesKit.Read("s1", plate, now.AddHours(-3)), PlatesKit.Read("s2", plate, now.AddHours(-1)),
            PlatesKit.Read("s3", HotlistKit.Plate(), now.AddHours(-1)));
        using var admin = app.AdminClient();

        var refused = await admin.GetAsync($"api/v1/plates/search?plate={plate}");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.NotNull((await refused.ReadJsonAsync())["errors"]!["purpose"]);
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE module = 'Plates' AND details->>'plate' = '{plate}'"));

        var purpose = $"Case 2026-{Random.Shared.Next(100000)}";
        var pattern = plate[..3] + "*";
        var response = await admin.GetAsync($"api/v1/plates/search?plate={pattern}&{Stated.Query}&purpose={Uri.EscapeDataString(purpose)}" +
                                            $"&latitude={lat}&longitude={lon}&radiusMeters=200");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var vehicle = Assert.Single(JsonNode.Parse(body)!["vehicles"]!.AsArray(), v => v!["plate"]!.GetValue<string>() == plate);
        Assert.Equal(2, vehicle!["sightings"]!.GetValue<int>());
        var timeline = vehicle["timeline"]!.AsArray();
        Assert.Equal(["s1", "s2"], timeline.Select(t => DateTimeOffset.Parse(t!["capturedAt"]!.GetValue<string>()) < now.AddHours(-2) ? "s1" : "s2"));

        // The audit row: user, time, purpose and terms.
        Assert.Equal(1, await app.CountAsync($"""
            SELECT count(*) FROM audit.entries WHERE module = 'Plates' AND action = 'search' AND purpose = '{purpose}'
              AND details->>'plate' = '{pattern}' AND (details->>'radiusMeters')::int = 200 AND actor <> '' AND at > now() - interval '1 minute'
            """));
        // Administrators (and oversight: OversightTests) review it.
        var audit = (await (await admin.GetAsync("api/v1/audit?module=Plates&action=search")).ReadJsonAsync())["entries"]!.AsArray();
        Assert.Contains(audit, a => a!["purpose"]!.GetValue<string>() == purpose && a["details"]!.GetValue<string>().Contains(pattern));

        // Outside the area: nothing.
        var (farLat, farLon) = GeoMath.Offset(lat, lon, 5000, 0);
        var far = await (await admin.GetAsync($"api/v1/plates/search?plate={plate}&{Stated.Query}&purpose=case+42&latitude={farLat}&longitude={farLon}&radiusMeters=300")).ReadJsonAsync();
        Assert.Empty(far["vehicles"]!.AsArray());
    }

    [Fact]
    public async Task Analysts_search_and_officers_may_not()
    {
        var officer = app.Client(await app.CreateClientKeyAsync(SafeCities.Modules.Shared.Security.Roles.Officer));
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.GetAsync($"api/v1/plates/search?plate=ABC1234&{Stated.Query}&purpose=curious")).StatusCode);
        var analyst = app.Client(await app.CreateClientKeyAsync(SafeCities.Modules.Shared.Security.Roles.Analyst));
        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync($"api/v1/plates/search?plate=ABC1234&{Stated.Query}&purpose=case+7")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync("api/v1/audit")).StatusCode);
    }

    [Fact]
    public async Task Colocation_ranks_the_vehicle_seen_near_three_of_five_incidents_first_among_heavy_traffic()
    {
        var (lat, lon) = Api.Place();
        var now = DateTimeOffset.UtcNow;
        var readers = new List<string>();
        var incidents = new List<(double Lat, double Lon, DateTimeOffset At)>();
        for (var i = 0; i < 5; i++)
        {
            var (iLat, iLon) = GeoMath.Offset(lat, lon, 3000 * i, 90);
            var (_, key) = await app.RegisterReaderAsync(iLat, iLon, 120, 0);
            readers.Add(key);
            incidents.Add((iLat, iLon, now.AddDays(-(i + 1)).AddHours(-i)));
        }
        var target = HotlistKit.Plate();
        var commuters = Enumerable.Range(0, 3).Select(_ => HotlistKit.Plate()).ToList();
        var rnd = new Random(42);
        for (var i = 0; i < 5; i++)
        {
            var reads = new List<object>();
            var (_, _, at) = incidents[i];
            // Commuters pass every reader every day at the incident's time of day: near all five incidents, but that is their routine.
            for (var day = 0; day < 20; day++)
                foreach (var c in commuters)
                    reads.Add(PlatesKit.Read($"c-{c}-{day}", c, at.AddDays(-day).AddMinutes(rnd.Next(-4, 5))));
            // Background: 600 random vehicles a day spread over the day, 40 more inside each incident's window.
            for (var n = 0; n < 600; n++)
                reads.Add(PlatesKit.Read($"b-{n}", HotlistKit.Plate(), now.AddMinutes(-rnd.Next(60, 60 * 24 * 20))));
            for (var n = 0; n < 40; n++)
                reads.Add(PlatesKit.Read($"w-{n}", HotlistKit.Plate(), at.AddMinutes(rnd.Next(-10, 11))));
            if (i is 0 or 2 or 3)
                reads.Add(PlatesKit.Read("target", target, at.AddMinutes(6)));
            foreach (var batch in reads.Chunk(500))
                await app.SendReadsAsync(readers[i], batch);
        }

        using var admin = app.AdminClient();
        var purpose = $"Shooting series {Guid.NewGuid():N}"[..28];
        var response = await admin.PostAsJsonAsync("api/v1/plates/colocation", new
        {
            incidents = incidents.Select(x => new { latitude = x.Lat, longitude = x.Lon, occurredAt = x.At }),
            radiusMeters = 300, windowMinutes = 15, minIncidents = 3, purpose, caseNumber = Stated.CaseNumber, offence = Stated.Offence,
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var vehicles = JsonNode.Parse(body)!["vehicles"]!.AsArray();
        var first = vehicles[0]!;
        Assert.Equal(target, first["plate"]!.GetValue<string>());
        Assert.Equal([0, 2, 3], first["matchedIncidents"]!.AsArray().Select(x => x!.GetValue<int>()));
        // The commuters match all five places yet rank below it: they pass those readers every day.
        var commuterRows = vehicles.Where(v => commuters.Contains(v!["plate"]!.GetValue<string>())).ToList();
        Assert.Equal(3, commuterRows.Count);
        Assert.All(commuterRows, c => Assert.Equal(5, c!["matchedIncidents"]!.AsArray().Count));
        Assert.All(commuterRows, c => Assert.True(c!["score"]!.GetValue<double>() < first["score"]!.GetValue<double>()));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'colocation' AND purpose = '{purpose}'"));

        var refused = await admin.PostAsJsonAsync("api/v1/plates/colocation", new
        {
            incidents = incidents.Select(x => new { latitude = x.Lat, longitude = x.Lon, occurredAt = x.At }), radiusMeters = 300, windowMinutes = 15,
            minIncidents = 3,
        });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task A_new_incident_puts_vehicles_also_seen_near_related_open_incidents_on_its_timeline()
    {
        var (lat, lon) = Api.Place();
        var (lat2, lon2) = GeoMath.Offset(lat, lon, 4000, 45);
        var (_, keyA) = await app.RegisterReaderAsync(lat, lon, 100, 0);
        var (_, keyB) = await app.RegisterReaderAsync(lat2, lon2, 100, 0);
        var now = DateTimeOffset.UtcNow;
        var (firstAt, secondAt) = (now.AddDays(-3), now.AddMinutes(-20));
        var suspect = HotlistKit.Plate();
        var bystander = HotlistKit.Plate();
        await app.SendReadsAsync(keyA, PlatesKit.Read("s-a", suspect, firstAt.AddMinutes(4)), PlatesKit.Read("b-a", bystander, firstAt.AddMinutes(-3)));
        await app.SendReadsAsync(keyB, PlatesKit.Read("s-b", suspect, secondAt.AddMinutes(-6)), PlatesKit.Read("x-b", HotlistKit.Plate(), secondAt));

        // Each opening queues its co-location as a background job (ADR 0042), run here as Hangfire would, in the order of the openings.
        var first = await app.ReportGunshotAsync(lat, lon, firstAt);
        await app.RunQueuedColocationAsync(first);
        var second = await app.ReportGunshotAsync(lat2, lon2, secondAt);
        await app.RunQueuedColocationAsync(second);

        var entry = await app.WaitForTimelineAsync(second, "VehiclesColocated");
        var text = entry["text"]!.GetValue<string>();
        Assert.Matches($@"^1 vehicle also seen near related open incidents: {suspect} \(DC\) near 1 other \(Gunshots? detected[^)]*\)? 3 days earlier\)$", text);
        Assert.DoesNotContain(bystander, text);
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'colocation' AND actor = 'system' AND purpose = 'Automatic co-location for incident {second}'"));
        Assert.DoesNotContain((await app.PlatesTimelineAsync(first)), t => t!["kind"]!.GetValue<string>() == "VehiclesColocated");
    }

    [Fact]
    public async Task An_incident_closed_before_its_co_location_ran_is_not_searched_for()
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon, 100, 0);
        var now = DateTimeOffset.UtcNow;
        var (firstAt, secondAt) = (now.AddDays(-2), now.AddMinutes(-10));
        var suspect = HotlistKit.Plate();
        await app.SendReadsAsync(key, PlatesKit.Read($"c-1-{suspect}", suspect, firstAt.AddMinutes(3)), PlatesKit.Read($"c-2-{suspect}", suspect, secondAt.AddMinutes(-2)));
        var first = await app.ReportGunshotAsync(lat, lon, firstAt);
        await app.RunQueuedColocationAsync(first);
        var second = await app.ReportGunshotAsync(lat, lon, secondAt);
        // Closed ("a car backfiring") while its job waited in Hangfire's queue: the job runs (here, as Hangfire would) and searches nobody's
        // movements for it — open, the suspect seen near both would be searched for and reported (the test above).
        using var commander = await app.SignedInAsync(Users.Commander, pageToken: true);
        Assert.Equal(HttpStatusCode.OK, (await commander.PostAsJsonAsync($"api/v1/incidents/{second}/close", new { outcome = "other-sound" })).StatusCode);
        await app.RunQueuedColocationAsync(second);
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'colocation' AND purpose LIKE '%{second}%'"));
        Assert.Equal(0, await app.CountAsync(
            $"SELECT count(*) FROM plates.outbox_messages WHERE payload->>'incidentId' = '{second}' AND payload->>'kind' = 'VehiclesColocated'"));
    }

    [Fact]
    public async Task A_corrected_location_puts_the_vehicles_also_seen_near_related_open_incidents_from_there_on_the_timeline()
    {
        var (lat, lon) = Api.Place();
        var (lat2, lon2) = GeoMath.Offset(lat, lon, 4000, 45);
        var (firstFix, firstFixLon) = GeoMath.Offset(lat2, lon2, 6000, 200);   // where the sensors first put it: no reader there
        var (_, keyA) = await app.RegisterReaderAsync(lat, lon, 100, 0);
        var (_, keyB) = await app.RegisterReaderAsync(lat2, lon2, 100, 0);
        var now = DateTimeOffset.UtcNow;
        var (firstAt, secondAt) = (now.AddDays(-3), now.AddMinutes(-20));
        var suspect = HotlistKit.Plate();
        await app.SendReadsAsync(keyA, PlatesKit.Read($"s-a-{suspect}", suspect, firstAt.AddMinutes(4)));
        await app.SendReadsAsync(keyB, PlatesKit.Read($"s-b-{suspect}", suspect, secondAt.AddMinutes(-6)));
        var first = await app.ReportGunshotAsync(lat, lon, firstAt);
        await app.RunQueuedColocationAsync(first);
        var second = await app.ReportGunshotAsync(firstFix, firstFixLon, secondAt);
        await app.RunQueuedColocationAsync(second);
        // The job has run (in this test, not in Hangfire) and reported nothing: no vehicle was read near the first fix.
        var reports = $"SELECT count(*) FROM plates.outbox_messages WHERE payload->>'incidentId' = '{second}' AND payload->>'kind' = 'VehiclesColocated'";
        Assert.Equal(0, await app.CountAsync(reports));

        using var commander = await app.SignedInAsync(Users.Commander, pageToken: true);
        Assert.Equal(HttpStatusCode.OK, (await commander.PostAsJsonAsync($"api/v1/incidents/{second}/corrections",
            new { latitude = lat2, longitude = lon2, reason = "The caller's address." })).StatusCode);
        await app.RunQueuedColocationAtCorrectedPlaceAsync(second);

        var text = (await app.WaitForTimelineAsync(second, "VehiclesColocated"))["text"]!.GetValue<string>();
        Assert.Matches($@"^Location corrected: 1 vehicle also seen near related open incidents: {suspect} \(DC\) near 1 other \(.+ 3 days earlier\)$", text);
        Assert.Equal(1, await app.CountAsync(
            $"SELECT count(*) FROM audit.entries WHERE action = 'colocation' AND actor = 'system' AND purpose = 'Automatic co-location for incident {second} at its corrected location'"));
        // Run again (the relocation delivered twice): reported once.
        await app.RunQueuedColocationAtCorrectedPlaceAsync(second);
        Assert.Equal(1, await app.CountAsync(reports));
        // The opening's run once more, after the move (its job queued behind others, or the opening delivered late): no search from the first
        // fix, where the incident no longer is.
        var openingSearches = $"SELECT count(*) FROM audit.entries WHERE action = 'colocation' AND purpose = 'Automatic co-location for incident {second}'";
        Assert.Equal(1, await app.CountAsync(openingSearches));
        await app.RunQueuedColocationAsync(second);
        Assert.Equal(1, await app.CountAsync(openingSearches));
    }
}
