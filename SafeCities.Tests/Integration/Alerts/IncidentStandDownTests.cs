using Mediator;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Lighting.Contracts;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Video.Drivers;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Modules.Video.Contracts;
using SafeCities.Tests.Infrastructure;
using SafeCities.Tests.Integration.Lighting;
using SafeCities.Tests.Integration.Plates;
using SafeCities.Tests.Integration.Video;

namespace SafeCities.Tests.Integration.Alerts;

/// <summary>
/// What is still on for an incident stands down when command staff close it, or correct its kind to one a module does not react to (ADR 0068):
/// its lights go back to their level, its readers stop tying the reads they capture from then on; each says so on the timeline, once.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class IncidentStandDownTests(AppFixture app)
{
    [Fact]
    public async Task Closing_an_incident_sends_its_lights_back_and_its_readers_stop_tying_later_reads_once()
    {
        await app.EnsureDefaultSettingsAsync();
        var place = LightingTestKit.PlaceWhereItIs(dark: true);
        var lights = await app.AddLightsAsync(place.Lat, place.Lon, (40, 10), (60, 200));
        var (_, key) = await app.RegisterReaderAsync(place.Lat, place.Lon, 100, 0);
        var id = await app.PostGunshotAsync(place.Lat, place.Lon);
        await app.WaitForTimelineAsync(id, "LightsBrightened", "PlateReadersArmed");
        Assert.Single(app.ScheduledRestores(id));
        await app.SendReadsAsync(key, PlatesKit.Read($"r-{Guid.NewGuid():N}", "SDA1111", DateTimeOffset.UtcNow.AddSeconds(-2)));
        Assert.Equal(["SDA1111"], (await app.IncidentReadsAsync(id)).Select(r => r.Plate));

        using var commander = await app.SignedInAsync(Users.Commander, pageToken: true);
        Assert.Equal(HttpStatusCode.OK, (await commander.PostAsJsonAsync($"api/v1/incidents/{id}/close", new { outcome = "no-evidence" })).StatusCode);
        await app.WaitForTimelineTextAsync(id, "Incident closed (No evidence found): 2 lights back to normal level.");
        await app.WaitForTimelineTextAsync(id,
            "Incident closed (No evidence found): the 1 plate reader armed for it stops tying reads to it; the 1 read tied so far stays with it.");
        Assert.All(lights, l => Assert.Equal([100, 40], app.Controller().CommandsFor(l).Select(c => c.Level)));
        foreach (var light in lights)
            Assert.Equal(40, await app.LevelAsync(light));
        // The restore due in 15 minutes has nothing left to do: no longer scheduled (deleted just after the restore's commit).
        await Poll.UntilAsync(() => app.ScheduledRestores(id).Count == 0, TimeSpan.FromSeconds(5), "the due restore unscheduled");

        // The reader's window ends when the incident closed: a read it captured before then and sent after is tied, one captured after is not
        // (both in one batch, which therefore saw the arming).
        var closedAt = await app.ScalarAsync<DateTime>(
            $"SELECT at FROM alerts.incident_status_changes WHERE incident_id = '{id}' AND to_status = '{IncidentStatus.Closed}'");
        Assert.Equal(1, await app.CountAsync($"""
            SELECT count(*) FROM plates.reader_armings a JOIN plates.incident_reactions r USING (incident_id)
            WHERE a.incident_id = '{id}' AND a.window_end = '{closedAt:O}' AND r.window_end = a.window_end
            """));
        var utc = new DateTimeOffset(closedAt, TimeSpan.Zero);
        await app.SendReadsAsync(key, PlatesKit.Read($"r-{Guid.NewGuid():N}", "SDB2222", utc.AddSeconds(-1)),
            PlatesKit.Read($"r-{Guid.NewGuid():N}", "SDC3333", utc.AddMilliseconds(50)));
        Assert.Equal(["SDA1111", "SDB2222"], (await app.IncidentReadsAsync(id)).Select(r => r.Plate).Order().ToArray());

        // Delivered again (a crash before the delivery was marked, the sweep meeting the live dispatch): nothing is done or said twice.
        var reports = await ReportsAsync(id);
        await app.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<IPublisher>().Publish(await app.DeliveredOutboxEventAsync<IncidentStandDownEvent>(id));
            return 0;
        });
        Assert.Equal(reports, await ReportsAsync(id));
        Assert.All(lights, l => Assert.Equal(2, app.Controller().CommandsFor(l).Count));
    }

    [Fact]
    public async Task A_corrected_kind_stands_down_only_the_modules_that_do_not_react_to_it()
    {
        await app.EnsureDefaultSettingsAsync();
        var place = LightingTestKit.PlaceWhereItIs(dark: true);
        var light = (await app.AddLightsAsync(place.Lat, place.Lon, (30, 90)))[0];
        await app.RegisterReaderAsync(place.Lat, place.Lon, 120, 180);
        var id = await app.PostGunshotAsync(place.Lat, place.Lon);
        await app.WaitForTimelineAsync(id, "LightsBrightened", "PlateReadersArmed");
        var defaults = LightingReactionSettingsDto.Defaults;
        // This city raises its lights for loud noise too; Plates arms readers for gunfire only.
        await app.SendAsync(new UpdateLightingReactionSettingsCommand([IncidentKinds.Gunshot, IncidentKinds.Noise], defaults.RadiusMeters,
            defaults.LevelPercent, defaults.DurationMinutes, "tests"));
        try
        {
            using var commander = await app.SignedInAsync(Users.Commander, pageToken: true);
            Assert.Equal(HttpStatusCode.OK, (await commander.PostAsJsonAsync($"api/v1/incidents/{id}/corrections",
                new { kind = IncidentKinds.Noise, reason = "A transformer blew; no shots." })).StatusCode);
            await app.WaitForTimelineTextAsync(id,
                "Reclassified as noise: the 1 plate reader armed for it stops tying reads to it; no read had been tied to it.");
            // The correction itself, in words people read (the kinds' labels, not their codes), on the timeline and in the incident's record.
            await app.WaitForTimelineTextAsync(id, $"Corrected by {Users.Commander}: kind Gunshot → Noise — A transformer blew; no shots.");
            Assert.Contains("kind: Gunshot → <strong>Noise</strong>", await commander.GetStringAsync($"Alerts/Incidents/Details/{id}"));
            // Lighting reacts to noise: once the stand-down is delivered to every module, its lights are still raised and it said nothing.
            await app.DeliveredAsync<IncidentStandDownEvent>(id);
            Assert.Equal(100, await app.LevelAsync(light));
            Assert.Equal(0, await app.CountAsync(
                $"SELECT count(*) FROM lighting.outbox_messages WHERE payload->>'incidentId' = '{id}' AND payload->>'kind' = 'LightsRestored'"));

            // A citizen's report after all (it was never gunfire): no module reacts to that, and the lights go back too.
            Assert.Equal(HttpStatusCode.OK, (await commander.PostAsJsonAsync($"api/v1/incidents/{id}/corrections",
                new { kind = IncidentKinds.CitizenReport, reason = "Only the caller's account remains." })).StatusCode);
            await app.WaitForTimelineTextAsync(id, "Reclassified as citizen report: 1 light back to normal level.");
            Assert.Equal(40, await app.LevelAsync(light));
        }
        finally
        {
            await app.EnsureDefaultSettingsAsync();
        }
    }

    [Fact]
    public async Task Closing_an_incident_whose_lights_were_not_raised_leaves_its_lighting_as_it_was()
    {
        await app.EnsureDefaultSettingsAsync();
        var place = LightingTestKit.PlaceWhereItIs(dark: false);
        await app.AddLightsAsync(place.Lat, place.Lon, (40, 10));
        var id = await app.PostGunshotAsync(place.Lat, place.Lon);
        await app.WaitForTimelineTextAsync(id, "Daylight at this place and time");
        using var commander = await app.SignedInAsync(Users.Commander, pageToken: true);
        Assert.Equal(HttpStatusCode.OK, (await commander.PostAsJsonAsync($"api/v1/incidents/{id}/close", new { outcome = "other-sound" })).StatusCode);
        await app.DeliveredAsync<IncidentStandDownEvent>(id);
        // Daylight: nothing was raised, so nothing is restored (the page would otherwise say "Restored at …" of lights never raised).
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM lighting.incident_lighting WHERE incident_id = '{id}' AND restored_at IS NULL"));
        Assert.Equal(0, await app.CountAsync(
            $"SELECT count(*) FROM lighting.outbox_messages WHERE payload->>'incidentId' = '{id}' AND payload->>'kind' = 'LightsRestored'"));
    }

    [Fact]
    public async Task An_opening_delivered_after_the_incident_closed_raises_arms_and_turns_nothing_and_says_so_once()
    {
        await app.EnsureDefaultSettingsAsync();
        var place = LightingTestKit.PlaceWhereItIs(dark: true);
        var light = (await app.AddLightsAsync(place.Lat, place.Lon, (30, 90)))[0];
        await app.RegisterReaderAsync(place.Lat, place.Lon, 120, 180);
        var camera = await app.CameraAsync(place, 60, 0, new { type = "ptz", rangeMeters = 300.0 });
        var id = await app.OpenedUnheardAsync(place);
        using var commander = await app.SignedInAsync(Users.Commander, pageToken: true);
        Assert.Equal(HttpStatusCode.OK, (await commander.PostAsJsonAsync($"api/v1/incidents/{id}/close", new { outcome = "no-evidence" })).StatusCode);
        await app.DeliveredAsync<IncidentStandDownEvent>(id);

        await app.DeliverOpeningLateAsync(id, times: 2);   // the late delivery, and another after it (a crash before it was marked)
        await app.WaitForTimelineTextAsync(id, "Incident closed (No evidence found) before the reaction ran: lights not raised.");
        await app.WaitForTimelineTextAsync(id, "Incident closed (No evidence found) before the reaction ran: plate readers not armed.");
        await app.WaitForTimelineTextAsync(id, "Incident closed (No evidence found) before the reaction ran: cameras not turned.");
        Assert.Empty(app.Controller().CommandsFor(light));
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM plates.reader_armings WHERE incident_id = '{id}'"));
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM video.incident_cameras WHERE incident_id = '{id}'"));
        Assert.Empty(app.Driver().CommandsFor(camera));
        Assert.Equal(3, await ReportsAsync(id));   // one a module
    }

    [Fact]
    public async Task A_close_committed_while_the_response_went_up_stands_it_down_once_every_reaction_has_run()
    {
        await app.EnsureDefaultSettingsAsync();
        var place = LightingTestKit.PlaceWhereItIs(dark: true);
        var light = (await app.AddLightsAsync(place.Lat, place.Lon, (30, 90)))[0];
        var (_, key) = await app.RegisterReaderAsync(place.Lat, place.Lon, 120, 180);
        var id = await app.PostGunshotAsync(place.Lat, place.Lon);
        await app.WaitForTimelineAsync(id, "LightsBrightened", "PlateReadersArmed");
        await app.DeliveredAsync<IncidentOpenedEvent>(id);
        // The race as the database is left by it: the close committed after the reactions looked at the incident and before they committed, and
        // its stand-down, delivered meanwhile, found nothing on yet. Here the close is written as Alerts writes it, and its stand-down never sent.
        var closedAt = DateTimeOffset.UtcNow.AddSeconds(-1);
        await app.ExecuteAsync($"""
            UPDATE alerts.incidents SET status = 'closed', closed_at = '{closedAt:O}', closed_by = 'commander', outcome = 'no-evidence' WHERE id = '{id}';
            INSERT INTO alerts.incident_status_changes (id, incident_id, at, by, from_status, to_status, outcome)
            VALUES ('{Guid.CreateVersion7()}', '{id}', '{closedAt:O}', 'commander', 'open', 'closed', 'no-evidence');
            """);
        // What runs after every reaction to the opening (here its delivery again, the same handlers) stands the response down.
        await app.DeliverOpeningLateAsync(id, times: 1);
        await app.WaitForTimelineTextAsync(id, "Incident closed (No evidence found): 1 light back to normal level.");
        await app.WaitForTimelineTextAsync(id,
            "Incident closed (No evidence found): the 1 plate reader armed for it stops tying reads to it; no read had been tied to it.");
        Assert.Equal(40, await app.LevelAsync(light));
        await app.SendReadsAsync(key, PlatesKit.Read($"r-{Guid.NewGuid():N}", "SDD4444", DateTimeOffset.UtcNow));
        Assert.Empty(await app.IncidentReadsAsync(id));
    }

    [Fact]
    public async Task An_opening_delivered_after_the_location_was_corrected_reacts_where_the_incident_is_now()
    {
        await app.EnsureDefaultSettingsAsync();
        var first = LightingTestKit.PlaceWhereItIs(dark: true);
        (double Lat, double Lon) there = GeoMath.Offset(first.Lat, first.Lon, 1500, 90);
        var lightFirst = (await app.AddLightsAsync(first.Lat, first.Lon, (30, 90)))[0];
        var lightThere = (await app.AddLightsAsync(there.Lat, there.Lon, (30, 270)))[0];
        await app.RegisterReaderAsync(first.Lat, first.Lon, 100, 0);
        var (readerThere, _) = await app.RegisterReaderAsync(there.Lat, there.Lon, 100, 0);
        var cameraThere = await app.CameraAsync(there, 60, 0, new { type = "ptz", rangeMeters = 300.0 });
        var id = await app.OpenedUnheardAsync(first);
        // Corrected before any module reacted: the relocation finds no reaction to move (each module follows only what it did).
        using var commander = await app.SignedInAsync(Users.Commander, pageToken: true);
        Assert.Equal(HttpStatusCode.OK, (await commander.PostAsJsonAsync($"api/v1/incidents/{id}/corrections",
            new { latitude = there.Lat, longitude = there.Lon, reason = "The caller's address." })).StatusCode);
        await app.DeliveredAsync<IncidentRelocatedEvent>(id);

        await app.DeliverOpeningLateAsync(id, times: 1);
        await app.WaitForTimelineAsync(id, "LightsBrightened", "PlateReadersArmed", "CamerasTasked");
        Assert.Equal(100, await app.LevelAsync(lightThere));
        Assert.Empty(app.Controller().CommandsFor(lightFirst));
        Assert.Equal(readerThere, await app.ScalarAsync<Guid>($"SELECT reader_id FROM plates.reader_armings WHERE incident_id = '{id}'"));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.reader_armings WHERE incident_id = '{id}'"));
        Assert.Single(app.Driver().CommandsFor(cameraThere), c => c.Command == SimulatedCameraCommand.Point);
    }

    /// <summary>The reports Lighting, Plates and Video wrote about the incident (their outboxes).</summary>
    private Task<long> ReportsAsync(Guid id) => app.CountAsync($"""
        SELECT (SELECT count(*) FROM lighting.outbox_messages WHERE payload->>'incidentId' = '{id}')
             + (SELECT count(*) FROM plates.outbox_messages WHERE payload->>'incidentId' = '{id}')
             + (SELECT count(*) FROM video.outbox_messages WHERE payload->>'incidentId' = '{id}')
        """);
}
