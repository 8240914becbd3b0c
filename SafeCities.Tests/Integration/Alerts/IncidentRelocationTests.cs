using Mediator;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Tests.Infrastructure;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Modules.Video.Contracts;
using SafeCities.Modules.Video.Drivers;
using SafeCities.Tests.Integration.Lighting;
using SafeCities.Tests.Integration.Plates;
using SafeCities.Tests.Integration.Video;

namespace SafeCities.Tests.Integration.Alerts;

/// <summary>
/// A corrected location moves the integrated response (ADR 0067): the cameras, lights and plate readers around the corrected place react as
/// they did around the first one, each says so on the timeline, once per correction; a closed incident's correction moves nothing.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class IncidentRelocationTests(AppFixture app)
{
    private static readonly object Ptz = new { type = "ptz", rangeMeters = 300.0 };

    [Fact]
    public async Task Correcting_an_open_incidents_location_turns_the_cameras_raises_the_lights_and_arms_the_readers_there_once()
    {
        await app.EnsureDefaultSettingsAsync();
        await app.RestoreDefaultReactionSettingsAsync();
        var first = LightingTestKit.PlaceWhereItIs(dark: true);
        (double Lat, double Lon) there = GeoMath.Offset(first.Lat, first.Lon, 1200, 90);     // beyond every device's reach from the first place
        var cameraFirst = await app.CameraAsync(first, 100, 180, Ptz);
        var cameraThere = await app.CameraAsync(there, 80, 0, Ptz);       // north of the corrected place: must look due south
        var lightFirst = (await app.AddLightsAsync(first.Lat, first.Lon, (40, 10)))[0];
        var lightsThere = await app.AddLightsAsync(there.Lat, there.Lon, (50, 200), (60, 20));
        await app.RegisterReaderAsync(first.Lat, first.Lon, 100, 0);
        var (readerThere, keyThere) = await app.RegisterReaderAsync(there.Lat, there.Lon, 200, 270);
        var plate = $"RL{Random.Shared.Next(10000, 99999)}";
        await app.SendReadsAsync(keyThere, PlatesKit.Read($"r-{Guid.NewGuid():N}", plate, DateTimeOffset.UtcNow.AddMinutes(-1)));

        var id = await app.PostGunshotAsync(first.Lat, first.Lon);
        await app.WaitForTimelineAsync(id, "CamerasTasked", "LightsBrightened", "PlateReadersArmed");
        Assert.Empty(app.Driver().CommandsFor(cameraThere));
        Assert.Empty(app.Controller().CommandsFor(lightsThere[0]));

        using var commander = await app.SignedInAsync(Users.Commander, pageToken: true);
        var corrected = await commander.PostAsJsonAsync($"api/v1/incidents/{id}/corrections",
            new { latitude = there.Lat, longitude = there.Lon, reason = "The caller's address: the sensors' fix was a block off." });
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);

        var timeline = await app.WaitForTimelineAsync(id, "CamerasRetasked", "IncidentReadsCaptured");
        timeline = await app.WaitForTimelineTextAsync(id, "Location corrected: 2 lights");
        string Said(string module) => timeline.Single(t => t!["module"]!.GetValue<string>() == module
            && t["text"]!.GetValue<string>().StartsWith("Location corrected:", StringComparison.Ordinal))!["text"]!.GetValue<string>();

        // Cameras: the one that sees the corrected place turned to it; the one tasked at the first place is listed as left there.
        Assert.StartsWith("Location corrected: 1 PTZ camera turned (nearest 80 m), 1 recording bookmarked", Said("Video"));
        Assert.EndsWith("; 1 camera tasked at the first location left there", Said("Video"));
        var point = Assert.Single(app.Driver().CommandsFor(cameraThere), c => c.Command == SimulatedCameraCommand.Point);
        Assert.Equal(180, point.PanDegrees!.Value, 1);
        var cameras = (await app.IncidentCamerasAsync(id)).ToDictionary(c => c.CameraId);
        Assert.Equal((IncidentCameraStatus.Ok, IncidentCameraStatus.FirstLocation), (cameras[cameraThere].Status, cameras[cameraFirst].Status));
        Assert.NotNull(cameras[cameraFirst].BookmarkFrom);   // its recording of the first place stays bookmarked
        Assert.Equal(80, cameras[cameraThere].DistanceMeters, 0);

        // Lights: both around the corrected place raised until the incident's raise ends; the first place's stays raised until then.
        Assert.Matches(@"^Location corrected: 2 lights within 150 m of it raised to 100 % for the \d+ min the incident's raise has left; "
            + @"1 light raised at the first location stays raised until then\.$", Said("Lighting"));
        Assert.All(lightsThere, l => Assert.Equal([100], app.Controller().CommandsFor(l).Select(c => c.Level)));
        Assert.Equal((100, 100, 100), (await app.LevelAsync(lightFirst), await app.LevelAsync(lightsThere[0]), await app.LevelAsync(lightsThere[1])));
        Assert.Equal(1, await app.CountAsync(
            $"SELECT count(DISTINCT until) FROM lighting.light_raises WHERE incident_id = '{id}'"));   // one restore for all three

        // Readers: the one within 500 m of the corrected place armed for the same window, and its read from before the shot tied to the incident.
        Assert.Equal("Location corrected: 1 more plate reader armed within 500 m of it, for the same window; 1 reader armed at the first location stays armed",
            Said("Plates"));
        Assert.Equal(1, await app.CountAsync($"""
            SELECT count(*) FROM plates.reader_armings a JOIN plates.reader_armings f ON f.incident_id = a.incident_id AND f.reader_id <> a.reader_id
            WHERE a.incident_id = '{id}' AND a.reader_id = '{readerThere}' AND (a.window_start, a.window_end) = (f.window_start, f.window_end)
            """));
        Assert.Contains(plate, timeline.Text("IncidentReadsCaptured"));
        Assert.Contains(await app.IncidentReadsAsync(id), r => r.Plate == plate && r.ReaderId == readerThere);

        // Delivered again (a crash before the delivery was marked, or the sweep meeting the live dispatch): nothing is done or said twice.
        var relocation = await app.DeliveredOutboxEventAsync<IncidentRelocatedEvent>(id);
        var reports = await ReportCountAsync(id);
        await app.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<IPublisher>().Publish(relocation);
            return 0;
        });
        Assert.Equal(reports, await ReportCountAsync(id));
        Assert.Single(app.Driver().CommandsFor(cameraThere), c => c.Command == SimulatedCameraCommand.Point);
        Assert.All(lightsThere, l => Assert.Single(app.Controller().CommandsFor(l)));
        Assert.Equal(2, await app.CountAsync($"SELECT count(*) FROM plates.reader_armings WHERE incident_id = '{id}'"));
    }

    [Fact]
    public async Task A_closed_incidents_location_correction_is_for_the_record_and_moves_nothing()
    {
        var place = Api.Place();
        var id = await app.PostGunshotAsync(place.Lat, place.Lon);
        using var commander = await app.SignedInAsync(Users.Commander, pageToken: true);
        Assert.Equal(HttpStatusCode.OK, (await commander.PostAsJsonAsync($"api/v1/incidents/{id}/close", new { outcome = "no-evidence" })).StatusCode);
        var (lat, lon) = GeoMath.Offset(place.Lat, place.Lon, 400, 0);
        var corrected = await commander.PostAsJsonAsync($"api/v1/incidents/{id}/corrections", new { latitude = lat, longitude = lon, reason = "Records check." });
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);

        // Written in the correction's transaction or not at all: the correction is there, the relocation is not.
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM alerts.incident_corrections WHERE incident_id = '{id}' AND field = 'location'"));
        Assert.Equal(0, await RelocationsAsync(id));
        // Reopened, it is live again: the next correction moves the response.
        Assert.Equal(HttpStatusCode.OK, (await commander.PostAsJsonAsync($"api/v1/incidents/{id}/reopen", new { notes = "Another caller." })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await commander.PostAsJsonAsync($"api/v1/incidents/{id}/corrections",
            new { latitude = place.Lat, longitude = place.Lon, reason = "Back where the sensors had it." })).StatusCode);
        Assert.Equal(1, await RelocationsAsync(id));
    }

    [Fact]
    public async Task A_citizen_report_corrected_to_gunfire_makes_the_cameras_lights_and_readers_react_where_it_is_and_once()
    {
        await app.EnsureDefaultSettingsAsync();
        await app.RestoreDefaultReactionSettingsAsync();
        var reported = LightingTestKit.PlaceWhereItIs(dark: true);
        (double Lat, double Lon) place = GeoMath.Offset(reported.Lat, reported.Lon, 60, 0);
        var camera = await app.CameraAsync(place, 90, 0, Ptz);
        var light = (await app.AddLightsAsync(place.Lat, place.Lon, (30, 90)))[0];
        var (reader, _) = await app.RegisterReaderAsync(place.Lat, place.Lon, 150, 180);
        var receipt = await app.SubmitAsync(reported.Lat, reported.Lon, description: "Loud bangs, maybe fireworks");
        var id = await app.SendAsync(s => s.Send(new OpenIncidentFromCitizenReportCommand(receipt.Id, "tests")));
        // A citizen report is no kind the modules react to: once its opening is delivered, nothing has moved.
        await Poll.UntilAsync(async () => await DeliveredAsync(id) == 1, TimeSpan.FromSeconds(10), "the opening delivered");
        Assert.Equal(0, await ReportCountAsync(id));
        // And the page says none will, rather than "nothing yet" (what its script shows until a module reports).
        using var commander = await app.SignedInAsync(Users.Commander, pageToken: true);
        const string idle = "data-idle=\"none: lights, cameras and plate readers do not react to citizen report incidents\"";
        Assert.Contains(idle, await commander.GetStringAsync($"Alerts/Incidents/Details/{id}"));

        // Gunfire after all, 60 m north of where the reporter stood: both changes at once.
        Assert.Equal(HttpStatusCode.OK, (await commander.PostAsJsonAsync($"api/v1/incidents/{id}/corrections",
            new { kind = "gunshot", latitude = place.Lat, longitude = place.Lon, reason = "Casings found; the caller heard shots, not fireworks." })).StatusCode);
        await app.WaitForTimelineAsync(id, "CamerasTasked", "LightsBrightened", "PlateReadersArmed");
        var summary = await commander.GetStringAsync($"Alerts/Incidents/Section/{id}/summary");
        Assert.Contains("data-idle=\"nothing yet\"", summary);
        Assert.Contains("none detected by the sensors", summary);   // a gunshot incident, but no shot was detected: no rounds, no "first shot"
        Assert.DoesNotContain("First shot", summary);
        var point = Assert.Single(app.Driver().CommandsFor(camera), c => c.Command == SimulatedCameraCommand.Point);
        Assert.Equal(180, point.PanDegrees!.Value, 1);   // toward the corrected place, not the reporter's
        Assert.Equal([100], app.Controller().CommandsFor(light).Select(c => c.Level));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.reader_armings WHERE incident_id = '{id}' AND reader_id = '{reader}'"));
        // The opening again, the relocation and the stand-down (nothing to stand down: the modules react to gunfire), all delivered (in any
        // order): the modules reacted once, at the corrected place.
        await Poll.UntilAsync(async () => await DeliveredAsync(id) == 4, TimeSpan.FromSeconds(10), "the corrections' events delivered");
        Assert.Equal(3, await ReportCountAsync(id));
        Assert.Single(app.Driver().CommandsFor(camera), c => c.Command == SimulatedCameraCommand.Point);
    }

    /// <summary>How many of Alerts' outbox messages about the incident (openings, relocations) were delivered to every module.</summary>
    private Task<long> DeliveredAsync(Guid id) => app.CountAsync(
        $"SELECT count(*) FROM alerts.outbox_messages WHERE payload->>'incidentId' = '{id}' AND dispatched_at IS NOT NULL");

    private Task<long> RelocationsAsync(Guid id) => app.CountAsync(
        $"SELECT count(*) FROM alerts.outbox_messages WHERE type = '{typeof(IncidentRelocatedEvent).FullName}' AND payload->>'incidentId' = '{id}'");

    private Task<long> ReportCountAsync(Guid id) => app.CountAsync($"""
        SELECT (SELECT count(*) FROM video.outbox_messages WHERE payload->>'incidentId' = '{id}')
             + (SELECT count(*) FROM lighting.outbox_messages WHERE payload->>'incidentId' = '{id}')
             + (SELECT count(*) FROM plates.outbox_messages WHERE payload->>'incidentId' = '{id}')
        """);
}
