using Mediator;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;
using SafeCities.Modules.Alerts.Domain;
using SafeCities.Modules.Sensors.Data;
using SafeCities.Modules.Sensors.Domain;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Modules.Shared.Outbox;
using SafeCities.Tests.Integration.Video;

namespace SafeCities.Tests.Integration;

/// <summary>
/// The one transactional outbox (docs/adr/0013-one-transactional-outbox.md): what a crash between commit and delivery leaves is
/// delivered by the sweep, exactly once in effect; repeated deliveries change nothing; failures back off and end as failed messages
/// an administrator sees and can send again.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class OutboxTests(AppFixture app)
{
    private Task<int> SweepAsync() => app.InScopeAsync(sp => sp.GetRequiredService<OutboxSweepJob>().RunAsync(CancellationToken.None));

    private Task<int> MakeDueAsync(string schema, Guid id) =>
        app.ExecuteAsync($"UPDATE {schema}.outbox_messages SET dispatched_at = NULL, next_attempt_at = now() - interval '1 minute' WHERE id = '{id}'");

    private async Task<JsonArray> TimelineAsync(Guid incidentId)
    {
        using var admin = app.AdminClient();
        return (await (await admin.GetAsync($"api/v1/incidents/{incidentId}")).ReadJsonAsync())["timeline"]!.AsArray();
    }

    private static int Entries(JsonArray timeline, string module) => timeline.Count(t => t!["module"]!.GetValue<string>() == module);

    [Fact]
    public async Task A_gunshot_committed_but_never_delivered_opens_its_incident_from_the_sweep_once()
    {
        var (deviceId, _) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed);
        var (lat, lon) = Api.Place();
        var detectionId = Guid.CreateVersion7();
        // As if the request died between committing the detection (with its outbox message) and delivering it.
        await app.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<SensorsDbContext>();
            var detection = new GunshotDetection
            {
                Id = detectionId, DeviceId = deviceId, ExternalId = "crashed-1", OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-2), Latitude = lat,
                Longitude = lon, Rounds = 2, Source = "test", ReceivedAt = DateTimeOffset.UtcNow.AddMinutes(-2),
            };
            db.Detections.Add(detection);
            db.AddOutboxMessage(detection.Detected(), detection.Id, deliveredByCaller: true);
            return await db.SaveChangesAsync();
        });
        Guid? Incident() => app.InScopeAsync(sp => sp.GetRequiredService<ISender>().Send(new GetIncidentForDetectionQuery(detectionId)).AsTask()).Result;

        // Within the grace time the sweep leaves it to the live dispatch.
        await SweepAsync();
        Assert.Null(Incident());
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM sensors.outbox_messages WHERE id = '{detectionId}' AND dispatched_at IS NULL"));

        await MakeDueAsync("sensors", detectionId);
        Assert.True(await SweepAsync() >= 1);

        Assert.NotNull(Incident());
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM sensors.outbox_messages WHERE id = '{detectionId}' AND dispatched_at IS NOT NULL AND attempts = 1"));
        // Delivered again (a crash after delivery, before the mark): the incident is not opened twice.
        await MakeDueAsync("sensors", detectionId);
        await SweepAsync();
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM alerts.detections WHERE detection_id = '{detectionId}'"));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM alerts.incidents WHERE id = '{Incident()}'"));
    }

    [Fact]
    public async Task Reactions_lost_between_commit_and_publish_run_once_from_the_sweep_and_again_change_nothing()
    {
        var (lat, lon) = Api.Place();
        var (rLat, rLon) = GeoMath.Offset(lat, lon, 120, 270);
        await app.RegisterDeviceAsync(DeviceKinds.PlateReader, rLat, rLon, new { headingDegrees = 90.0, lanes = 2 });
        var (cLat, cLon) = GeoMath.Offset(lat, lon, 70, 180);
        var (camera, _) = await app.RegisterDeviceAsync(DeviceKinds.Camera, cLat, cLon, new { type = "ptz", rangeMeters = 200, streamUrl = "rtsp://vms.test/outbox" });
        var incidentId = Guid.CreateVersion7();
        // As if the process died right after the incident and its IncidentOpenedEvent were committed: nobody reacted yet.
        await app.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AlertsDbContext>();
            var now = DateTimeOffset.UtcNow;
            var incident = new Incident
            {
                Id = incidentId, Kind = IncidentKinds.Gunshot, Title = "Gunshots detected", Latitude = lat, Longitude = lon, Location = GeoMath.Point(lat, lon),
                OpenedAt = now, LastActivityAt = now, Source = "outbox test", Rounds = 2, Detections = 1,
            };
            db.Incidents.Add(incident);
            db.AddOutboxMessage(incident.Opened(12), incident.Id, deliveredByCaller: true);
            return await db.SaveChangesAsync();
        });
        Assert.Equal(0, Entries(await TimelineAsync(incidentId), "Video"));
        Assert.Empty(app.Driver().CommandsFor(camera));

        await MakeDueAsync("alerts", incidentId);
        Assert.True(await SweepAsync() >= 1);

        // Lights, cameras and readers each reacted, and each reported once onto the timeline (through their own outboxes).
        JsonArray timeline = [];
        for (var i = 0; i < 100; i++)
        {
            timeline = await TimelineAsync(incidentId);
            if (Entries(timeline, "Lighting") > 0 && Entries(timeline, "Video") > 0 && Entries(timeline, "Plates") > 0)
                break;
            await Task.Delay(100);
        }
        Assert.Equal(1, Entries(timeline, "Lighting"));
        Assert.Equal("CamerasTasked", Assert.Single(timeline, t => t!["module"]!.GetValue<string>() == "Video")!["kind"]!.GetValue<string>());
        Assert.Equal("PlateReadersArmed", Assert.Single(timeline, t => t!["module"]!.GetValue<string>() == "Plates")!["kind"]!.GetValue<string>());
        var commands = app.Driver().CommandsFor(camera).Count;
        Assert.True(commands >= 1);

        // The same message delivered a second time: every reaction is idempotent per incident.
        await MakeDueAsync("alerts", incidentId);
        Assert.True(await SweepAsync() >= 1);
        Assert.Equal(2, await app.CountAsync($"SELECT attempts FROM alerts.outbox_messages WHERE id = '{incidentId}' AND dispatched_at IS NOT NULL"));
        // A later message that must arrive after any duplicate report: its timeline entry is there, the duplicates are not.
        using var commander = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        (await commander.PostAsync($"api/v1/incidents/{incidentId}/acknowledge", null)).EnsureSuccessStatusCode();
        await WaitForReportsDeliveredAsync();
        timeline = await TimelineAsync(incidentId);
        Assert.Equal(1, Entries(timeline, "Lighting"));
        Assert.Equal(1, Entries(timeline, "Video"));
        Assert.Equal(1, Entries(timeline, "Plates"));
        Assert.Equal(commands, app.Driver().CommandsFor(camera).Count);
    }

    /// <summary>Every module's outbox is empty of due work: what the reactions wrote has been delivered.</summary>
    private async Task WaitForReportsDeliveredAsync()
    {
        for (var i = 0; i < 100; i++)
        {
            var pending = 0L;
            foreach (var schema in new[] { "lighting", "video", "plates" })
                pending += await app.CountAsync($"SELECT count(*) FROM {schema}.outbox_messages WHERE dispatched_at IS NULL AND failed_at IS NULL AND attempts = 0");
            if (pending == 0)
                return;
            await Task.Delay(100);
        }
        Assert.Fail("the reaction reports were not delivered");
    }

    [Fact]
    public async Task A_failing_message_backs_off_then_is_recorded_as_failed_and_shown_to_administrators_who_can_send_it_again()
    {
        var id = Guid.CreateVersion7();
        var mark = app.Logs.Mark;
        // An IncidentOpenedEvent whose payload no handler can take: every delivery fails.
        await app.ExecuteAsync($"""
            INSERT INTO alerts.outbox_messages (id, type, payload, created_at, next_attempt_at, attempts)
            VALUES ('{id}', '{typeof(IncidentOpenedEvent).FullName}', '[1, 2]', now(), now() - interval '1 second', 0)
            """);

        await SweepAsync();
        Assert.Equal(1, await app.CountAsync($"""
            SELECT count(*) FROM alerts.outbox_messages WHERE id = '{id}' AND attempts >= 1 AND failed_at IS NULL AND dispatched_at IS NULL
              AND next_attempt_at > created_at AND last_error LIKE '%JsonException%'
            """));

        // The last allowed attempt fails: the message is given up and kept for an administrator.
        await app.ExecuteAsync($"UPDATE alerts.outbox_messages SET attempts = 9, next_attempt_at = now() - interval '1 second' WHERE id = '{id}'");
        await SweepAsync();
        for (var i = 0; i < 50 && await app.CountAsync($"SELECT count(*) FROM alerts.outbox_messages WHERE id = '{id}' AND failed_at IS NOT NULL") == 0; i++)
            await Task.Delay(100);
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM alerts.outbox_messages WHERE id = '{id}' AND failed_at IS NOT NULL AND attempts >= 10"));
        Assert.Contains(app.Logs.ErrorsSince(mark), e => e.Message.Contains($"Outbox message {id}") && e.Message.Contains("recorded as failed"));
        await SweepAsync();
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM alerts.outbox_messages WHERE id = '{id}' AND failed_at IS NOT NULL AND attempts >= 10"));

        using var admin = await app.SignedInAsync(Users.Admin);
        var page = await admin.GetStringAsync("Admin/Outbox");
        Assert.Contains(id.ToString(), page);
        Assert.Contains("JsonException", page);
        Assert.Contains("Send again", page);

        var retried = await admin.PostFormAsync($"Admin/Outbox?handler=Retry&outbox=alerts&id={id}", []);
        Assert.Contains($"Message {id} is being delivered again.", retried);
        for (var i = 0; i < 50 && await app.CountAsync($"SELECT count(*) FROM alerts.outbox_messages WHERE id = '{id}' AND attempts >= 1 AND failed_at IS NULL") == 0; i++)
            await Task.Delay(100);
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM alerts.outbox_messages WHERE id = '{id}' AND failed_at IS NULL AND attempts BETWEEN 1 AND 9"));

        using var officer = await app.SignedInAsync(Users.Officer);
        Assert.StartsWith("/Account/AccessDenied", (await officer.GetAsync("Admin/Outbox")).Headers.Location!.PathAndQuery);
        await app.ExecuteAsync($"DELETE FROM alerts.outbox_messages WHERE id = '{id}'");
    }
}
