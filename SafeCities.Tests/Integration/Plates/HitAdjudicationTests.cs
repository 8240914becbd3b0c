using SafeCities.Modules.Shared.Outbox;
using Microsoft.AspNetCore.SignalR.Client;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Platform.Demo;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Tests.Integration.Lighting;
using SafeCities.Tests.Integration.Intelligence;

namespace SafeCities.Tests.Integration.Plates;

/// <summary>
/// Hit adjudication (issue 14, ADR 0043): every hit starts unconfirmed and its notice says so, with the picture, the read's make and colour
/// against the entry's, the match kind and the entry's age; a person confirms or rejects it once, with a reason of the fixed list, audited;
/// acting on it needs it confirmed; a rejected hit closes its incident; the statistics count it per reader, list and match kind.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class HitAdjudicationTests(AppFixture app)
{
    private async Task<Guid> ListAsync(string plate, string level = "high", string? description = null)
    {
        var list = await app.CreateHotlistAsync(level: level);
        using var admin = app.AdminClient();
        var added = await admin.PostAsJsonAsync($"api/v1/plates/hotlists/{list}/entries", new { plate, reason = "Stolen vehicle", description });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        return list;
    }

    private async Task<JsonNode> HitAsync(string readPlate)
    {
        for (var i = 0; i < 50; i++)
        {
            if (await app.HitsAsync(readPlate) is [var hit, ..])
                return hit!;
            await Task.Delay(100);
        }
        throw new InvalidOperationException($"no hit for {readPlate}");
    }

    /// <summary>A live hit on a low-level list (acting needs no confirmation) and the incident Alerts opened for it.</summary>
    private async Task<Guid> HitWithIncidentAsync()
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon);
        var plate = HotlistKit.Plate();
        await ListAsync(plate, level: "low");
        await app.SendReadsAsync(key, PlatesKit.Read(Guid.NewGuid().ToString("N"), plate, DateTimeOffset.UtcNow.AddSeconds(-2)));
        var hitId = (await HitAsync(plate))["id"]!.GetValue<Guid>();
        await WaitForAsync($"SELECT count(*) FROM alerts.incidents WHERE id = '{hitId}'");
        return hitId;
    }

    private async Task<HttpResponseMessage> DecideAsync(HttpClient client, Guid hit, string? decision, string? reason, string? notes = null) =>
        await client.PostAsJsonAsync($"api/v1/plates/hits/{hit}/decision", new { decision, reason, notes });

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {body}");
        Assert.StartsWith("application/problem+json", response.Content.Headers.ContentType?.MediaType ?? "");
        Assert.Contains(expected, body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_misread_tolerant_hit_starts_unconfirmed_and_its_notice_says_verify_plate_visually_with_picture_vehicle_and_entry_age()
    {
        var (lat, lon) = Api.Place();
        var (readerId, key) = await app.RegisterReaderAsync(lat, lon);
        var (letters, digits) = (HotlistKit.Plate(3, 0), HotlistKit.Plate(0, 3));
        var listed = letters + "0" + digits;
        var read = letters + "O" + digits; // O read for 0: a misread-tolerant match
        await ListAsync(listed, description: "Honda Civic, black");
        var readId = Guid.NewGuid().ToString("N");
        using (var reader = app.Client(key))
        {
            var image = new ByteArrayContent(DemoPlateImage.Png(read));
            image.Headers.ContentType = new("image/png");
            Assert.Equal(HttpStatusCode.Created, (await reader.PutAsync($"api/v1/plates/images/{Uri.EscapeDataString($"img://{readId}")}", image)).StatusCode);
        }
        var commanderKey = await app.CreateClientKeyAsync(SafeCities.Modules.Shared.Security.Roles.Commander);
        await using var board = new HubConnectionBuilder()
            .WithUrl(new Uri(app.BaseAddress, "hubs/incidents"), o => o.Headers["X-Api-Key"] = commanderKey).Build();
        var received = new TaskCompletionSource<OfficerNotificationDto>(TaskCreationOptions.RunContinuationsAsynchronously);
        board.On<OfficerNotificationDto>("OfficerNotified", n =>
        {
            if (n.Kind == "HotlistHit" && n.Title.Contains(read))
                received.TrySetResult(n);
        });
        await board.StartAsync();

        await app.SendReadsAsync(key, PlatesKit.Read(readId, read, DateTimeOffset.UtcNow.AddSeconds(-2), make: "Honda", color: "silver"));

        var notice = await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("UNCONFIRMED — verify plate visually", notice.Badge);
        Assert.Equal($"/api/v1/plates/images/{readerId}/{Uri.EscapeDataString($"img://{readId}")}", notice.ImageUrl);
        Assert.Contains($"misread match of {listed}", notice.Text);
        Assert.Contains("Read: silver Honda; listed: Honda Civic, black.", notice.Text);
        Assert.Matches(@"Entry listed \d+ min ago\.", notice.Text);

        var hit = await HitAsync(read);
        Assert.Equal("unconfirmed", hit["decision"]!.GetValue<string>());
        Assert.True(hit["verifyVisually"]!.GetValue<bool>());
        Assert.Equal("misread", hit["matchKind"]!.GetValue<string>());
        Assert.Equal("Honda", hit["readMake"]!.GetValue<string>());
        Assert.Equal("silver", hit["readColor"]!.GetValue<string>());
        Assert.Equal("Honda Civic, black", hit["entryDescription"]!.GetValue<string>());
        Assert.NotNull(hit["entryAddedAt"]);
        Assert.Null(hit["decidedBy"]);

        // The incident and responder pages show the same: the flag, the picture, both vehicles.
        using var officer = await app.SignedInAsync(Users.Officer);
        var page = await officer.GetStringAsync($"respond/{hit["id"]}");
        Assert.Contains("Unconfirmed &#x2014; verify plate visually", page);
        Assert.Contains("silver Honda", page);
        Assert.Contains("Honda Civic, black", page);
        Assert.Contains($"src=\"/api/v1/plates/images/{readerId}/", page);
    }

    [Fact]
    public async Task Acting_needs_a_confirmed_hit_and_confirming_is_audited_once_with_a_reason_of_the_list()
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon);
        var plate = HotlistKit.Plate();
        await ListAsync(plate);
        await app.SendReadsAsync(key, PlatesKit.Read(Guid.NewGuid().ToString("N"), plate, DateTimeOffset.UtcNow.AddSeconds(-2)));
        var hitId = (await HitAsync(plate))["id"]!.GetValue<Guid>(); // the incident's id is its first hit's
        using var officer = await app.SignedInAsync(Users.Officer, pageToken: true);

        // Unconfirmed: going en route and closing as stopped are refused; acknowledging is not acting.
        await AssertProblemAsync(await officer.PostAsJsonAsync($"api/v1/incidents/{hitId}/responders/me", new { status = "en-route" }), HttpStatusCode.Conflict,
            "unconfirmed");
        Assert.Equal(HttpStatusCode.OK, (await officer.PostAsJsonAsync($"api/v1/incidents/{hitId}/responders/me", new { status = "acknowledged" })).StatusCode);
        await AssertProblemAsync(await officer.PostAsJsonAsync($"api/v1/incidents/{hitId}/close", new { outcome = "stopped" }), HttpStatusCode.Conflict,
            "unconfirmed");

        // Bad decisions: each refused with its reason, nothing recorded.
        await AssertProblemAsync(await DecideAsync(officer, hitId, "maybe", "other", "x"), HttpStatusCode.BadRequest, "must be one of: confirmed, rejected");
        await AssertProblemAsync(await DecideAsync(officer, hitId, "confirmed", null), HttpStatusCode.BadRequest, "Choose a reason");
        await AssertProblemAsync(await DecideAsync(officer, hitId, "confirmed", "plate-misread"), HttpStatusCode.BadRequest,
            "must be one of: confirmed-with-agency, other");
        await AssertProblemAsync(await DecideAsync(officer, hitId, "rejected", "other"), HttpStatusCode.BadRequest, "Say what the other reason is");
        await AssertProblemAsync(await DecideAsync(officer, Guid.NewGuid(), "confirmed", "confirmed-with-agency"), HttpStatusCode.NotFound, "No such hit");
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE module = 'Plates' AND action LIKE 'hit-%' AND details->>'id' = '{hitId}'"));
        Assert.Equal("unconfirmed", (await HitAsync(plate))["decision"]!.GetValue<string>());

        var confirmed = await DecideAsync(officer, hitId, "confirmed", "confirmed-with-agency", "Dispatch ran it: still stolen.");
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var hit = await confirmed.ReadJsonAsync();
        Assert.Equal("confirmed", hit["decision"]!.GetValue<string>());
        Assert.Equal(Users.Officer, hit["decidedBy"]!.GetValue<string>());
        Assert.Equal("confirmed-with-agency", hit["decisionReason"]!.GetValue<string>());
        // The same again changes nothing; the other decision is refused: a decision is final.
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(officer, hitId, "confirmed", "confirmed-with-agency")).StatusCode);
        await AssertProblemAsync(await DecideAsync(officer, hitId, "rejected", "plate-misread"), HttpStatusCode.Conflict, "a decision is final");
        Assert.Equal(1, await app.CountAsync(
            $"SELECT count(*) FROM audit.entries WHERE module = 'Plates' AND action = 'hit-confirm' AND actor = '{Users.Officer}' AND details->>'id' = '{hitId}' AND details->>'reason' = 'confirmed-with-agency'"));
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE module = 'Plates' AND action = 'hit-reject' AND details->>'id' = '{hitId}'"));
        await WaitForAsync($"SELECT count(*) FROM alerts.timeline WHERE incident_id = '{hitId}' AND kind = 'HitConfirmed' AND text LIKE '%Confirmed with NCIC%'");

        // Confirmed: now the officer may act on it.
        Assert.Equal(HttpStatusCode.OK, (await officer.PostAsJsonAsync($"api/v1/incidents/{hitId}/responders/me", new { status = "en-route" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await officer.PostAsJsonAsync($"api/v1/incidents/{hitId}/close", new { outcome = "stopped" })).StatusCode);
    }

    [Fact]
    public async Task A_vehicle_seen_near_an_incident_is_marked_listed_while_its_plate_has_a_hit_and_no_longer_once_the_hit_is_rejected()
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon, 80, 0);
        var (listed, other) = (HotlistKit.Plate(), HotlistKit.Plate());
        await ListAsync(listed, level: "low");
        var shotAt = DateTimeOffset.UtcNow.AddSeconds(-20);
        // The listed vehicle's hit is an incident of its own, read 100 s before the gunshot: the gunshot's page learns it from the read.
        await app.SendReadsAsync(key, PlatesKit.Read(Guid.NewGuid().ToString("N"), listed, shotAt.AddSeconds(-100)),
            PlatesKit.Read(Guid.NewGuid().ToString("N"), other, shotAt.AddSeconds(-90)));
        var hitId = (await HitAsync(listed))["id"]!.GetValue<Guid>();
        var incidentId = await app.ReportGunshotAsync(lat, lon, shotAt);
        await app.WaitForTimelineAsync(incidentId, "IncidentReadsCaptured");

        using var commander = await app.SignedInAsync(Users.Commander, pageToken: true);
        async Task<Dictionary<string, bool>> ListedAsync() =>
            (await (await commander.GetAsync($"api/v1/plates/incidents/{incidentId}/reads")).ReadJsonAsync()).AsArray()
            .ToDictionary(r => r!["plate"]!.GetValue<string>(), r => r!["listed"]!.GetValue<bool>());
        Assert.Equal(new Dictionary<string, bool> { [listed] = true, [other] = false }, await ListedAsync());

        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(commander, hitId, "rejected", "plate-misread")).StatusCode);
        Assert.Equal(new Dictionary<string, bool> { [listed] = false, [other] = false }, await ListedAsync());
    }

    [Fact]
    public async Task A_rejected_hit_closes_its_incident_with_the_outcome_rejected_and_is_audited()
    {
        var hitId = await HitWithIncidentAsync();

        using var commander = await app.SignedInAsync(Users.Commander, pageToken: true);
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(commander, hitId, "rejected", "vehicle-mismatch", "Picture shows a van.")).StatusCode);

        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE module = 'Plates' AND action = 'hit-reject' AND actor = '{Users.Commander}' AND details->>'id' = '{hitId}'"));
        await WaitForAsync($"SELECT count(*) FROM alerts.incidents WHERE id = '{hitId}' AND status = 'closed' AND outcome = 'rejected'");
        using var admin = app.AdminClient();
        var record = await (await admin.GetAsync($"api/v1/incidents/{hitId}/record")).ReadJsonAsync();
        var close = Assert.Single(record["history"]!.AsArray(), h => h!["toStatus"]!.GetValue<string>() == "closed")!;
        Assert.Equal(Users.Commander, close["by"]!.GetValue<string>());
        Assert.Equal("rejected", close["outcome"]!.GetValue<string>());
        Assert.Contains("Vehicle does not match — Picture shows a van.", close["notes"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_rejection_stands_when_alerts_fails_to_take_it_and_the_outbox_closes_the_incident_once_later()
    {
        var hitId = await HitWithIncidentAsync();
        using var commander = await app.SignedInAsync(Users.Commander, pageToken: true);
        // Alerts cannot take this decision now (the database refuses its timeline entry; as when the node dies right after the decision's commit).
        await using (await app.RefuseInsertsAsync("alerts.timeline", $"NEW.incident_id = '{hitId}' AND NEW.kind = 'HitRejected'", "Alerts is down"))
        {
            // The decision is final and stands: the commander is not told it failed.
            var decided = await DecideAsync(commander, hitId, "rejected", "vehicle-mismatch", "Picture shows a van.");
            Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
            Assert.Equal("rejected", (await decided.ReadJsonAsync())["decision"]!.GetValue<string>());
        }
        var message = $"type = 'SafeCities.Modules.Plates.Contracts.HotlistHitDecidedEvent' AND payload->>'hitId' = '{hitId}'";
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.outbox_messages WHERE {message} AND dispatched_at IS NULL AND last_error LIKE '%Alerts is down%'"));
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM alerts.incidents WHERE id = '{hitId}' AND status = 'closed'"));

        // The sweep (its back-off passed) delivers it: the incident closes with the outcome "rejected".
        await app.ExecuteAsync($"UPDATE plates.outbox_messages SET next_attempt_at = now() - interval '1 minute' WHERE {message}");
        await app.InScopeAsync(sp => sp.GetRequiredService<OutboxSweepJob>().RunAsync(default));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM alerts.incidents WHERE id = '{hitId}' AND status = 'closed' AND outcome = 'rejected'"));
        // Delivered once more (a crash between the reaction and its mark): one timeline entry, one closing.
        await app.ExecuteAsync($"UPDATE plates.outbox_messages SET dispatched_at = NULL, next_attempt_at = now() - interval '1 minute' WHERE {message}");
        await app.InScopeAsync(sp => sp.GetRequiredService<OutboxSweepJob>().RunAsync(default));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.outbox_messages WHERE {message} AND dispatched_at IS NOT NULL"));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM alerts.timeline WHERE incident_id = '{hitId}' AND kind = 'HitRejected'"));
        using var admin = app.AdminClient();
        var record = await (await admin.GetAsync($"api/v1/incidents/{hitId}/record")).ReadJsonAsync();
        Assert.Single(record["history"]!.AsArray(), h => h!["toStatus"]!.GetValue<string>() == "closed");
    }

    [Fact]
    public async Task Statistics_count_hits_and_decisions_per_reader_list_and_match_kind_and_flag_a_reader_that_misreads()
    {
        var (lat, lon) = Api.Place();
        var (misreading, badKey) = await app.RegisterReaderAsync(lat, lon);
        var (good, goodKey) = await app.RegisterReaderAsync(lat, lon, metersAway: 500);
        var plates = Enumerable.Range(0, 5).Select(_ => HotlistKit.Plate()).ToList();
        var list = await app.CreateHotlistAsync();
        foreach (var p in plates)
            await app.AddEntryAsync(list, p);
        var goodPlate = HotlistKit.Plate();
        await app.AddEntryAsync(list, goodPlate);
        await app.SendReadsAsync(badKey, [.. plates.Select(p => PlatesKit.Read(Guid.NewGuid().ToString("N"), p, DateTimeOffset.UtcNow.AddSeconds(-5)))]);
        await app.SendReadsAsync(goodKey, PlatesKit.Read(Guid.NewGuid().ToString("N"), goodPlate, DateTimeOffset.UtcNow.AddSeconds(-5)),
            PlatesKit.Read(Guid.NewGuid().ToString("N"), HotlistKit.Plate(), DateTimeOffset.UtcNow.AddSeconds(-5)));
        using var commander = await app.SignedInAsync(Users.Commander, pageToken: true);
        foreach (var p in plates.Take(4))
            Assert.Equal(HttpStatusCode.OK, (await DecideAsync(commander, (await HitAsync(p))["id"]!.GetValue<Guid>(), "rejected", "plate-misread")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(commander, (await HitAsync(plates[4]))["id"]!.GetValue<Guid>(), "rejected", "entry-stale")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(commander, (await HitAsync(goodPlate))["id"]!.GetValue<Guid>(), "confirmed", "confirmed-with-agency")).StatusCode);

        using var admin = app.AdminClient();
        var stats = await (await admin.GetAsync("api/v1/plates/hits/statistics")).ReadJsonAsync();
        var row = Assert.Single(stats["rows"]!.AsArray(), r => r!["readerId"]!.GetValue<Guid>() == misreading)!;
        Assert.Equal(list, row["hotlistId"]!.GetValue<Guid>());
        Assert.Equal("exact", row["matchKind"]!.GetValue<string>());
        Assert.Equal((5, 0, 5), (row["hits"]!.GetValue<int>(), row["confirmed"]!.GetValue<int>(), row["rejected"]!.GetValue<int>()));
        Assert.Equal(4, row["rejectedByReason"]!["plate-misread"]!.GetValue<int>());
        Assert.Equal(1, row["rejectedByReason"]!["entry-stale"]!.GetValue<int>());
        var bad = Assert.Single(stats["readers"]!.AsArray(), r => r!["readerId"]!.GetValue<Guid>() == misreading)!;
        Assert.Equal(5, bad["reads"]!.GetValue<long>());
        Assert.Equal(0.8, bad["misreadRate"]!.GetValue<double>(), 6);
        Assert.True(bad["highMisreadRate"]!.GetValue<bool>());
        var fine = Assert.Single(stats["readers"]!.AsArray(), r => r!["readerId"]!.GetValue<Guid>() == good)!;
        Assert.Equal((2L, 1, 1), (fine["reads"]!.GetValue<long>(), fine["hits"]!.GetValue<int>(), fine["confirmed"]!.GetValue<int>()));
        Assert.False(fine["highMisreadRate"]!.GetValue<bool>());
        // Without the reads (oversight's overview asks for the hits only; counting every read of the period is the long part): the same
        // hits and flag, no read counted.
        var hitsOnly = await app.SendAsync(new GetHitStatisticsQuery(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddMinutes(1), "America/New_York", CountReads: false));
        Assert.Empty(hitsOnly.ReadsByMonth);
        var badOnly = Assert.Single(hitsOnly.Readers, r => r.ReaderId == misreading);
        Assert.Equal((0L, 5, true), (badOnly.Reads, badOnly.Hits, badOnly.HighMisreadRate));

        // The administrators' page flags the reader; statistics are for administrators only.
        var page = await admin.GetStringAsync("Plates/Admin/HitStatistics");
        Assert.Matches($@"data-reader-id=""{misreading}"" data-high-misread=""true""", page);
        Assert.Matches($@"data-reader-id=""{good}"" data-high-misread=""false""", page);
        using var officer = await app.SignedInAsync(Users.Officer);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.GetAsync("api/v1/plates/hits/statistics")).StatusCode);
        // The public transparency page carries the monthly table (never a plate).
        using var anonymous = app.Client();
        var transparency = await anonymous.GetStringAsync("Transparency");
        Assert.Contains("id=\"hit-statistics\"", transparency);
        Assert.Contains("id=\"alert-precision\"", transparency);
        Assert.DoesNotContain(plates[0], transparency);
    }

    private async Task WaitForAsync(string countSql)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await app.CountAsync(countSql) > 0)
                return;
            await Task.Delay(100);
        }
        Assert.Fail($"never true: {countSql}");
    }
}
