using Mediator;
using SafeCities.Modules.Video.Contracts;
using SafeCities.Modules.Video.Drivers;

namespace SafeCities.Tests.Integration.Video;

/// <summary>The camera reaction to an incident, triggered directly with <c>IncidentOpenedEvent</c> at a fresh spot each time.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CameraTaskingTests(AppFixture app)
{
    private static readonly object Ptz = new { type = "ptz", rangeMeters = 300.0, streamUrl = "rtsp://vms.test/ptz" };

    [Fact]
    public async Task Ptz_cameras_in_range_turn_to_the_hand_computed_bearing_and_tilt_nearest_first()
    {
        var place = Api.Place();
        var south = await app.CameraAsync(place, 100, 180, Ptz);       // must look due north: 0°
        var west = await app.CameraAsync(place, 150, 270, Ptz);        // due east: 90°
        var northEast = await app.CameraAsync(place, 60, 45, Ptz);     // south-west: 225°
        var north = await app.CameraAsync(place, 250, 0, new { type = "ptz", rangeMeters = 300.0, mountHeightMeters = 10.0 }); // due south: 180°
        var tooFar = await app.CameraAsync(place, 400, 90, Ptz);       // beyond its 300 m
        var incident = VideoTestKit.Incident(place);

        await app.PublishAsync(incident);

        // The driver was told, nearest first, to point along the bearings worked out by hand.
        var ours = new[] { south, west, northEast, north, tooFar };
        var points = app.Driver().Commands.Where(c => c.Command == SimulatedCameraCommand.Point && ours.Contains(c.CameraId)).ToList();
        Assert.Equal([northEast, south, west, north], points.Select(p => p.CameraId));
        Assert.Equal(225, points[0].PanDegrees!.Value, 1);
        Assert.Equal(0, points[1].PanDegrees!.Value, 6);
        Assert.Equal(90, points[2].PanDegrees!.Value, 1);
        Assert.Equal(180, points[3].PanDegrees!.Value, 6);
        Assert.Equal(-3.43, points[1].TiltDegrees!.Value, 2);                     // −atan(6 m / 100 m)
        Assert.Equal(-2.29, points[3].TiltDegrees!.Value, 2);                     // −atan(10 m / 250 m)
        Assert.Equal(-5.71, points[0].TiltDegrees!.Value, 2);                     // −atan(6 m / 60 m)
        Assert.Equal((0, -3.43), (Math.Round(app.Driver().PositionOf(south)!.Value.Pan, 6), Math.Round(app.Driver().PositionOf(south)!.Value.Tilt, 2)));
        Assert.Empty(app.Driver().CommandsFor(tooFar));

        // Stored per camera and answered nearest first.
        var cameras = await app.IncidentCamerasAsync(incident.IncidentId);
        Assert.Equal([northEast, south, west, north], cameras.Select(c => c.CameraId));
        Assert.All(cameras, c => Assert.Equal(IncidentCameraStatus.Ok, c.Status));
        Assert.Equal(100, cameras[1].DistanceMeters, 0);
        Assert.Equal(0, cameras[1].BearingDegrees, 6);
        Assert.Equal(-3.43, cameras[1].TiltDegrees!.Value, 2);
        Assert.Equal("rtsp://vms.test/ptz", cameras[1].StreamUrl);
        Assert.Equal(CameraTypes.Ptz, cameras[1].Type);

        var report = Assert.Single(await app.ReportsAsync(incident.IncidentId));
        Assert.Equal("CamerasTasked", report.Kind);
        Assert.StartsWith("4 PTZ cameras turned (nearest 60 m)", report.Text);
        Assert.Contains("4 recordings bookmarked", report.Text);
        Assert.NotNull(report.PublishedAt);
    }

    [Fact]
    public async Task A_ptz_whose_pan_range_excludes_the_bearing_is_listed_as_unable_to_see_it()
    {
        var place = Api.Place();
        // Both stand 100 m south of the incident and must look north (0°).
        var blind = await app.CameraAsync(place, 100, 180, new { type = "ptz", rangeMeters = 300.0, panMinDegrees = 90.0, panMaxDegrees = 270.0 });
        var wraps = await app.CameraAsync(place, 120, 180, new { type = "ptz", rangeMeters = 300.0, panMinDegrees = 300.0, panMaxDegrees = 60.0 });
        var incident = VideoTestKit.Incident(place);

        await app.PublishAsync(incident);

        Assert.Empty(app.Driver().CommandsFor(blind));
        Assert.Equal(0, Assert.Single(app.Driver().CommandsFor(wraps), c => c.Command == SimulatedCameraCommand.Point).PanDegrees!.Value, 6);
        var cameras = await app.IncidentCamerasAsync(incident.IncidentId);
        Assert.Equal([(blind, IncidentCameraStatus.OutOfPanRange), (wraps, IncidentCameraStatus.Ok)], cameras.Select(c => (c.CameraId, c.Status)));
        Assert.Null(cameras[0].BookmarkFrom);
        var report = Assert.Single(await app.ReportsAsync(incident.IncidentId));
        Assert.Contains("1 PTZ camera turned (nearest 120 m)", report.Text);
        Assert.Contains($"{cameras[0].Name} cannot pan toward it", report.Text);
    }

    [Fact]
    public async Task Fixed_cameras_are_listed_when_their_view_covers_the_incident_including_across_north()
    {
        var place = Api.Place();
        // South of the incident a camera must face 0° to see it; west of it, 90°.
        var covers = await app.CameraAsync(place, 100, 180, new { type = "fixed", headingDegrees = 10.0, fieldOfViewDegrees = 40.0, rangeMeters = 150.0 });
        var acrossNorth = await app.CameraAsync(place, 110, 180, new { type = "fixed", headingDegrees = 350.0, fieldOfViewDegrees = 40.0, rangeMeters = 150.0 });
        var sideways = await app.CameraAsync(place, 90, 270, new { type = "fixed", headingDegrees = 100.0, fieldOfViewDegrees = 30.0, rangeMeters = 150.0 });
        var tooNarrow = await app.CameraAsync(place, 120, 180, new { type = "fixed", headingDegrees = 340.0, fieldOfViewDegrees = 30.0, rangeMeters = 150.0 });
        var wrapMiss = await app.CameraAsync(place, 125, 180, new { type = "fixed", headingDegrees = 15.0, fieldOfViewDegrees = 20.0, rangeMeters = 150.0 });
        var tooFar = await app.CameraAsync(place, 200, 180, new { type = "fixed", headingDegrees = 0.0, fieldOfViewDegrees = 90.0, rangeMeters = 150.0 });
        var incident = VideoTestKit.Incident(place);

        await app.PublishAsync(incident);

        var cameras = await app.IncidentCamerasAsync(incident.IncidentId);
        Assert.Equal([sideways, covers, acrossNorth], cameras.Select(c => c.CameraId));
        Assert.All(cameras, c => Assert.Equal((CameraTypes.Fixed, IncidentCameraStatus.Ok, (double?)null), (c.Type, c.Status, c.TiltDegrees)));
        Assert.Equal(90, cameras[0].BearingDegrees, 1);
        Assert.Equal(0, cameras[1].BearingDegrees, 6);
        foreach (var away in new[] { tooNarrow, wrapMiss, tooFar })
            Assert.Empty(app.Driver().CommandsFor(away));
        // A fixed camera is not turned, only bookmarked.
        Assert.All(cameras, c => Assert.Equal([SimulatedCameraCommand.Bookmark], app.Driver().CommandsFor(c.CameraId).Select(x => x.Command)));
        var report = Assert.Single(await app.ReportsAsync(incident.IncidentId));
        Assert.Equal("3 fixed cameras cover the scene, 3 recordings bookmarked (30 s before to 5 min after)", report.Text);
    }

    [Fact]
    public async Task Recordings_are_bookmarked_from_the_configured_seconds_before_to_the_minutes_after_the_incident()
    {
        var place = Api.Place();
        var ptz = await app.CameraAsync(place, 80, 200, Ptz);
        var fixedCam = await app.CameraAsync(place, 50, 0, new { type = "fixed", headingDegrees = 180.0, fieldOfViewDegrees = 60.0 });
        var at = new DateTimeOffset(2026, 11, 25, 2, 14, 30, TimeSpan.Zero);
        try
        {
            await app.SetReactionSettingsAsync(pre: 45, post: 7, max: 10);
            var incident = VideoTestKit.Incident(place, at);

            await app.PublishAsync(incident);

            var cameras = await app.IncidentCamerasAsync(incident.IncidentId);
            Assert.Equal([fixedCam, ptz], cameras.Select(c => c.CameraId));
            Assert.All(cameras, c => Assert.Equal((at.AddSeconds(-45), at.AddMinutes(7)), (c.BookmarkFrom!.Value, c.BookmarkTo!.Value)));
            foreach (var id in new[] { ptz, fixedCam })
            {
                var bookmark = Assert.Single(app.Driver().CommandsFor(id), c => c.Command == SimulatedCameraCommand.Bookmark);
                Assert.Equal((at.AddSeconds(-45), at.AddMinutes(7)), (bookmark.From!.Value, bookmark.To!.Value));
                Assert.Contains(incident.IncidentId.ToString(), bookmark.Label);
            }
            Assert.Contains("2 recordings bookmarked (45 s before to 7 min after)", Assert.Single(await app.ReportsAsync(incident.IncidentId)).Text);
        }
        finally
        {
            await app.RestoreDefaultReactionSettingsAsync();
        }
    }

    [Fact]
    public async Task Only_the_nearest_ptz_cameras_up_to_the_maximum_are_turned()
    {
        var place = Api.Place();
        var near = await app.CameraAsync(place, 40, 0, Ptz);
        var middle = await app.CameraAsync(place, 70, 120, Ptz);
        var far = await app.CameraAsync(place, 90, 240, Ptz);
        try
        {
            await app.SetReactionSettingsAsync(pre: 30, post: 5, max: 2);
            var incident = VideoTestKit.Incident(place);

            await app.PublishAsync(incident);

            var cameras = await app.IncidentCamerasAsync(incident.IncidentId);
            Assert.Equal([(near, IncidentCameraStatus.Ok), (middle, IncidentCameraStatus.Ok), (far, IncidentCameraStatus.OverLimit)],
                cameras.Select(c => (c.CameraId, c.Status)));
            Assert.Empty(app.Driver().CommandsFor(far));
            Assert.Contains("1 more PTZ camera in range left as it was (limit 2)", Assert.Single(await app.ReportsAsync(incident.IncidentId)).Text);
        }
        finally
        {
            await app.RestoreDefaultReactionSettingsAsync();
        }
    }

    [Fact]
    public async Task A_failing_camera_is_retried_and_reported_while_the_others_are_still_tasked()
    {
        var place = Api.Place();
        var broken = await app.CameraAsync(place, 50, 90, Ptz);                   // the nearest: commanded first
        var working = await app.CameraAsync(place, 80, 180, Ptz);
        var fixedCam = await app.CameraAsync(place, 60, 270, new { type = "fixed", headingDegrees = 90.0, fieldOfViewDegrees = 60.0 });
        var brokenFixed = await app.CameraAsync(place, 70, 0, new { type = "fixed", headingDegrees = 180.0, fieldOfViewDegrees = 60.0 });
        var driver = app.Driver();
        driver.FailFor(broken);
        driver.FailFor(brokenFixed);
        try
        {
            var incident = VideoTestKit.Incident(place);

            await app.PublishAsync(incident); // does not throw

            // Three attempts each, all refused; a PTZ that could not be turned is not bookmarked.
            Assert.Equal(Enumerable.Repeat((SimulatedCameraCommand.Point, false), 3), driver.CommandsFor(broken).Select(c => (c.Command, c.Succeeded)));
            Assert.Equal(Enumerable.Repeat((SimulatedCameraCommand.Bookmark, false), 3), driver.CommandsFor(brokenFixed).Select(c => (c.Command, c.Succeeded)));
            // … and the others were tasked all the same.
            Assert.Equal([(SimulatedCameraCommand.Point, true), (SimulatedCameraCommand.Bookmark, true)],
                driver.CommandsFor(working).Select(c => (c.Command, c.Succeeded)));
            Assert.Equal([(SimulatedCameraCommand.Bookmark, true)], driver.CommandsFor(fixedCam).Select(c => (c.Command, c.Succeeded)));

            var cameras = (await app.IncidentCamerasAsync(incident.IncidentId)).ToDictionary(c => c.CameraId);
            Assert.Equal(IncidentCameraStatus.Failed, cameras[broken].Status);
            Assert.StartsWith("point: camera not responding", cameras[broken].Failure);
            Assert.Null(cameras[broken].BookmarkFrom);
            Assert.Equal(IncidentCameraStatus.Failed, cameras[brokenFixed].Status);
            Assert.StartsWith("bookmark: ", cameras[brokenFixed].Failure);
            Assert.Equal((IncidentCameraStatus.Ok, IncidentCameraStatus.Ok), (cameras[working].Status, cameras[fixedCam].Status));

            // Both reports are written by the same reaction; their order in the outbox is not part of what is asserted.
            var reports = (await app.ReportsAsync(incident.IncidentId)).OrderBy(r => r.Kind == "CamerasTasked" ? 0 : 1).ToList();
            Assert.Equal(["CamerasTasked", "CameraTaskingFailed"], reports.Select(r => r.Kind));
            Assert.Equal("1 PTZ camera turned (nearest 80 m), 1 fixed camera covers the scene, 2 recordings bookmarked (30 s before to 5 min after)",
                reports[0].Text);
            Assert.StartsWith("2 cameras failed after every retry: ", reports[1].Text);
            Assert.Contains($"{cameras[broken].Name} (point: camera not responding", reports[1].Text);
            Assert.Contains($"{cameras[brokenFixed].Name} (bookmark: ", reports[1].Text);
            // The cameras the report names are the ones stored as failed (the one report carries no id list; the reaction's cameras do).
            Assert.Equal(new[] { broken, brokenFixed }.Order(), cameras.Values.Where(c => c.Status == IncidentCameraStatus.Failed).Select(c => c.CameraId).Order());
        }
        finally
        {
            driver.Recover(broken);
            driver.Recover(brokenFixed);
        }
    }

    [Fact]
    public async Task The_same_incident_published_twice_tasks_its_cameras_once()
    {
        var place = Api.Place();
        var ptz = await app.CameraAsync(place, 60, 30, Ptz);
        var incident = VideoTestKit.Incident(place);

        await app.PublishAsync(incident);
        await app.PublishAsync(incident);
        await Task.WhenAll(app.PublishAsync(incident), app.PublishAsync(incident)); // and concurrently

        Assert.Equal([SimulatedCameraCommand.Point, SimulatedCameraCommand.Bookmark], app.Driver().CommandsFor(ptz).Select(c => c.Command));
        Assert.Single(await app.IncidentCamerasAsync(incident.IncidentId));
        Assert.Single(await app.ReportsAsync(incident.IncidentId));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM video.incident_reactions WHERE incident_id = '{incident.IncidentId}'"));
    }

    [Fact]
    public async Task When_no_camera_can_see_the_incident_it_says_so()
    {
        var lonely = VideoTestKit.Incident(Api.Place());
        await app.PublishAsync(lonely);
        var none = Assert.Single(await app.ReportsAsync(lonely.IncidentId));
        Assert.Equal(("NoCameraCoverage", "No camera can see the incident: none within 5 km"), (none.Kind, none.Text));
        Assert.Empty(await app.IncidentCamerasAsync(lonely.IncidentId));

        var place = Api.Place();
        await app.CameraAsync(place, 80, 0, new { type = "fixed", headingDegrees = 0.0, fieldOfViewDegrees = 60.0 }); // faces away
        await app.CameraAsync(place, 600, 90, new { type = "ptz", rangeMeters = 250.0 });                            // out of reach
        var unseen = VideoTestKit.Incident(place);
        await app.PublishAsync(unseen);
        Assert.Equal("No camera can see the incident: 1 fixed camera in range faces elsewhere",
            Assert.Single(await app.ReportsAsync(unseen.IncidentId)).Text);

        // The incident page's cameras section says why too (it is not only on the timeline): Video keeps the sentence with its reaction.
        Assert.Equal("No camera can see the incident: 1 fixed camera in range faces elsewhere",
            (await app.InScopeAsync(async sp => await sp.GetRequiredService<ISender>().Send(new GetIncidentCameraReactionQuery(unseen.IncidentId))))!.Summary);
        using var commander = await app.SignedInAsync(Users.Commander);
        var section = await commander.GetStringAsync($"/Alerts/Incidents/Section/{lonely.IncidentId}/cameras");
        Assert.Contains("<p class=\"small text-secondary\" id=\"incident-cameras-none\">No camera can see the incident: none within 5 km</p>", section);
        // An incident Video has not reacted to (not yet, or of a kind that tasks no camera) says only that none was tasked.
        var untouched = await commander.GetStringAsync($"/Alerts/Incidents/Section/{Guid.NewGuid()}/cameras");
        Assert.Contains("id=\"incident-cameras-none\">No camera tasked for this incident.</p>", untouched);
    }

    [Fact]
    public async Task Incidents_of_kinds_not_configured_leave_the_cameras_alone()
    {
        var place = Api.Place();
        var ptz = await app.CameraAsync(place, 60, 30, Ptz);
        var incident = VideoTestKit.Incident(place, kind: "fireworks");

        await app.PublishAsync(incident);

        Assert.Empty(app.Driver().CommandsFor(ptz));
        Assert.Empty(await app.ReportsAsync(incident.IncidentId));
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM video.incident_reactions WHERE incident_id = '{incident.IncidentId}'"));
    }
}
