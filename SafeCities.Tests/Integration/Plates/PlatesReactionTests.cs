using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Features;
using SafeCities.Modules.Shared.Outbox;

namespace SafeCities.Tests.Integration.Plates;

[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PlatesReactionTests(AppFixture app)
{
    private Task<long> ArmedAsync(Guid incidentId, Guid readerId) =>
        app.CountAsync($"SELECT count(*) FROM plates.reader_armings WHERE incident_id = '{incidentId}' AND reader_id = '{readerId}'");

    private Task<long> LinkedAsync(Guid incidentId) => app.CountAsync($"SELECT count(*) FROM plates.incident_reads WHERE incident_id = '{incidentId}'");

    [Fact]
    public async Task Readers_within_the_radius_are_armed_and_readers_beyond_it_are_not()
    {
        var (lat, lon) = Api.Place();
        var (near, _) = await app.RegisterReaderAsync(lat, lon, 300, 45);
        var (edge, _) = await app.RegisterReaderAsync(lat, lon, 490, 200);
        var (far, _) = await app.RegisterReaderAsync(lat, lon, 800, 45);
        var incidentId = Guid.CreateVersion7();
        var at = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddMinutes(-20).ToUnixTimeSeconds());

        await app.OpenIncidentAsync(incidentId, lat, lon, at);

        Assert.Equal(1, await ArmedAsync(incidentId, near));
        Assert.Equal(1, await ArmedAsync(incidentId, edge));
        Assert.Equal(0, await ArmedAsync(incidentId, far));
        Assert.Equal(1, await app.CountAsync($"""
            SELECT count(*) FROM plates.reader_armings WHERE incident_id = '{incidentId}' AND reader_id = '{near}'
              AND window_start = '{at.AddMinutes(-10):O}'::timestamptz AND window_end = '{at.AddMinutes(30):O}'::timestamptz
            """));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.incident_reactions WHERE incident_id = '{incidentId}' AND readers_armed = 2 AND radius_meters = 500"));
    }

    [Fact]
    public async Task Reads_already_sent_inside_the_window_are_linked_and_reads_before_or_after_it_are_not()
    {
        var (lat, lon) = Api.Place();
        var (near, nearKey) = await app.RegisterReaderAsync(lat, lon, 300, 90);
        var (_, farKey) = await app.RegisterReaderAsync(lat, lon, 900, 90);
        var at = DateTimeOffset.UtcNow.AddHours(-1);   // window: at − 10 min … at + 30 min, all in the past
        await app.SendReadsAsync(nearKey,
            PlatesKit.Read("before", "BEFORE1", at.AddMinutes(-10).AddSeconds(-1)),
            PlatesKit.Read("start", "START1", at.AddMinutes(-10)),
            PlatesKit.Read("inside", "INSIDE1", at.AddMinutes(5), color: "Blue", make: "Ford", model: "Focus"),
            PlatesKit.Read("end", "END1", at.AddMinutes(30)),
            PlatesKit.Read("after", "AFTER1", at.AddMinutes(30).AddSeconds(1)));
        await app.SendReadsAsync(farKey, PlatesKit.Read("far", "FAR1", at.AddMinutes(1)));
        var incidentId = Guid.CreateVersion7();

        await app.OpenIncidentAsync(incidentId, lat, lon, at);

        var reads = await app.IncidentReadsAsync(incidentId);
        Assert.Equal(["END1", "INSIDE1", "START1"], reads.Select(r => r.Plate).ToArray());   // newest first
        var inside = reads.Single(r => r.Plate == "INSIDE1");
        Assert.Equal(near, inside.ReaderId);
        Assert.StartsWith("plate-reader", inside.ReaderName);
        Assert.InRange(inside.DistanceMeters, 299, 301);
        Assert.Equal(("Blue", "Ford", "Focus", "DC", 0.93), (inside.Color, inside.Make, inside.Model, inside.Region, inside.Confidence));
        Assert.Equal(at.AddMinutes(5).ToUnixTimeMilliseconds(), inside.CapturedAt.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task A_read_sent_after_the_incident_opened_is_linked_when_it_falls_in_the_window()
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon, 200, 0);
        var incidentId = Guid.CreateVersion7();
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        await app.OpenIncidentAsync(incidentId, lat, lon, at);
        Assert.Empty(await app.IncidentReadsAsync(incidentId));

        var late = DateTimeOffset.UtcNow;
        await app.SendReadsAsync(key, PlatesKit.Read("late-1", "LATE1", late), PlatesKit.Read("old-1", "OLD1", at.AddMinutes(-11)));

        Assert.Equal(["LATE1"], (await app.IncidentReadsAsync(incidentId)).Select(r => r.Plate).ToArray());
        // Resending it (same read id and capture time: the idempotency key of the day-partitioned table) links nothing twice.
        Assert.Equal((0, 1), await app.SendReadsAsync(key, PlatesKit.Read("late-1", "LATE1", late)));
        Assert.Equal(1, await LinkedAsync(incidentId));
    }

    [Fact]
    public async Task A_read_inside_two_incidents_windows_belongs_to_both()
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon, 100, 0);
        var (first, second) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        await app.OpenIncidentAsync(first, lat, lon, DateTimeOffset.UtcNow.AddMinutes(-8));
        await app.OpenIncidentAsync(second, lat, lon, DateTimeOffset.UtcNow.AddMinutes(-2));

        await app.SendReadsAsync(key, PlatesKit.Read("both-1", "BOTH1", DateTimeOffset.UtcNow.AddMinutes(-1)));

        Assert.Single(await app.IncidentReadsAsync(first));
        Assert.Single(await app.IncidentReadsAsync(second));
    }

    [Fact]
    public async Task Reacting_twice_or_concurrently_to_one_incident_arms_and_links_once()
    {
        var (lat, lon) = Api.Place();
        var (reader, key) = await app.RegisterReaderAsync(lat, lon, 250, 120);
        var at = DateTimeOffset.UtcNow.AddMinutes(-15);
        await app.SendReadsAsync(key, PlatesKit.Read("i-1", "IDEM1", at.AddMinutes(1)), PlatesKit.Read("i-2", "IDEM2", at.AddMinutes(2)));
        var incidentId = Guid.CreateVersion7();

        await Task.WhenAll(app.OpenIncidentAsync(incidentId, lat, lon, at), app.OpenIncidentAsync(incidentId, lat, lon, at));
        await app.OpenIncidentAsync(incidentId, lat, lon, at);

        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.incident_reactions WHERE incident_id = '{incidentId}'"));
        Assert.Equal(1, await ArmedAsync(incidentId, reader));
        Assert.Equal(2, await LinkedAsync(incidentId));
        Assert.Equal(1, await app.CountAsync($"SELECT count(DISTINCT pass_id) FROM plates.incident_reads WHERE incident_id = '{incidentId}'"));

        // Racing an incident and its first batch: every in-window read is linked whichever commits first.
        var racing = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        await Task.WhenAll(
            app.OpenIncidentAsync(racing, lat, lon, now.AddMinutes(-1)),
            app.SendReadsAsync(key, Enumerable.Range(0, 20).Select(i => PlatesKit.Read($"race-{i}", $"RACE{i}", now.AddSeconds(-i))).ToArray()));
        Assert.Equal(20, await LinkedAsync(racing));
    }

    [Fact]
    public async Task Incidents_of_a_kind_not_configured_arm_nothing()
    {
        var (lat, lon) = Api.Place();
        var (reader, _) = await app.RegisterReaderAsync(lat, lon, 50, 0);
        var incidentId = Guid.CreateVersion7();

        await app.OpenIncidentAsync(incidentId, lat, lon, DateTimeOffset.UtcNow, kind: "fire");

        Assert.Equal(0, await ArmedAsync(incidentId, reader));
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM plates.incident_reactions WHERE incident_id = '{incidentId}'"));
    }

    [Fact]
    public async Task A_gunshot_arms_readers_and_reads_before_and_after_it_reach_the_timeline_and_the_api()
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon, 200, 30);
        await app.RegisterReaderAsync(lat, lon, 2000, 30);   // out of range
        var shotAt = DateTimeOffset.UtcNow.AddSeconds(-30);
        await app.SendReadsAsync(key, PlatesKit.Read("e2e-1", "EARLY1", shotAt.AddMinutes(-2)));

        var incidentId = await app.ReportGunshotAsync(lat, lon, shotAt);

        var armed = await app.WaitForTimelineAsync(incidentId, "PlateReadersArmed");
        Assert.Matches(@"^1 plate reader armed within 500 m, reads from \d+ min before to \d+ min after the incident$", armed["text"]!.GetValue<string>());
        var early = await app.WaitForTimelineAsync(incidentId, "IncidentReadsCaptured", t => t.Contains("EARLY1"));
        Assert.StartsWith("1 vehicle read: EARLY1 (silver Honda Civic) at plate-reader", early["text"]!.GetValue<string>());

        await app.SendReadsAsync(key, PlatesKit.Read("e2e-2", "LATER2", DateTimeOffset.UtcNow, color: null, make: null, model: null),
            PlatesKit.Read("e2e-3", "LATER3", DateTimeOffset.UtcNow));
        var later = await app.WaitForTimelineAsync(incidentId, "IncidentReadsCaptured", t => t.Contains("LATER2"));
        Assert.StartsWith("2 vehicles read: ", later["text"]!.GetValue<string>());
        Assert.Contains("LATER3 (silver Honda Civic)", later["text"]!.GetValue<string>());

        using var commander = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        var api = await commander.GetAsync($"api/v1/plates/incidents/{incidentId}/reads");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        var plates = (await api.ReadJsonAsync()).AsArray().Select(r => r!["plate"]!.GetValue<string>()).ToArray();
        Assert.Equal("EARLY1", plates[^1]);
        Assert.Equal(["EARLY1", "LATER2", "LATER3"], plates.Order().ToArray());
        using var judge = app.Client(await app.CreateClientKeyAsync(Roles.Judge));
        Assert.Equal(HttpStatusCode.Forbidden, (await judge.GetAsync($"api/v1/plates/incidents/{incidentId}/reads")).StatusCode);

        // Alerts' sweep may publish the incident again: nothing new reaches the timeline.
        var entries = (await app.PlatesTimelineAsync(incidentId)).Count;
        await app.OpenIncidentAsync(incidentId, lat, lon, shotAt);
        Assert.Equal(3, entries);
        Assert.Equal(entries, (await app.PlatesTimelineAsync(incidentId)).Count);
    }

    [Fact]
    public async Task A_gunshot_with_no_reader_in_range_says_so_on_the_timeline()
    {
        var (lat, lon) = Api.Place();
        var incidentId = await app.ReportGunshotAsync(lat, lon);
        var entry = await app.WaitForTimelineAsync(incidentId, "NoPlateReadersInRange");
        Assert.Equal("No plate readers within 500 m", entry["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reports_that_did_not_go_out_are_sent_again_by_the_sweep_once()
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon, 150, 300);
        var incidentId = await app.ReportGunshotAsync(lat, lon);
        await app.WaitForTimelineAsync(incidentId, "PlateReadersArmed");
        await app.SendReadsAsync(key, PlatesKit.Read("sweep-1", "SWEEP1", DateTimeOffset.UtcNow));
        await app.WaitForTimelineAsync(incidentId, "IncidentReadsCaptured");
        // As if the process died after linking but before the report reached Alerts (its outbox message pending and due).
        var captured = $"payload->>'incidentId' = '{incidentId}' AND payload->>'kind' = 'IncidentReadsCaptured'";
        Assert.Equal(1, await app.CountEventuallyAsync($"SELECT count(*) FROM plates.outbox_messages WHERE {captured} AND dispatched_at IS NOT NULL", 1));
        await app.CountAsync($"""
            WITH gone AS (DELETE FROM alerts.timeline WHERE incident_id = '{incidentId}' AND kind = 'IncidentReadsCaptured' RETURNING 1)
            UPDATE plates.outbox_messages SET dispatched_at = NULL, next_attempt_at = now() - interval '1 minute' WHERE {captured}
            RETURNING 1
            """);

        var reported = await app.InScopeAsync(sp => sp.GetRequiredService<OutboxSweepJob>().RunAsync(default));

        Assert.True(reported >= 1);
        var entry = await app.WaitForTimelineAsync(incidentId, "IncidentReadsCaptured");
        Assert.StartsWith("1 vehicle read: SWEEP1", entry["text"]!.GetValue<string>());
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM plates.outbox_messages WHERE {captured} AND dispatched_at IS NULL"));
        await app.InScopeAsync(sp => sp.GetRequiredService<OutboxSweepJob>().RunAsync(default));
        Assert.Single(await app.PlatesTimelineAsync(incidentId), t => t!["kind"]!.GetValue<string>() == "IncidentReadsCaptured");
    }
}
