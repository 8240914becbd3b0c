using System.Text.RegularExpressions;

namespace SafeCities.Tests.Integration.Video;

/// <summary>End to end: a gunshot through the public API, the cameras' reaction on the incident timeline, the cameras' page and API.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed partial class IncidentCamerasTests(AppFixture app)
{
    [Fact]
    public async Task A_posted_gunshot_turns_the_cameras_and_their_report_lands_on_the_incident_timeline()
    {
        var place = Api.Place();
        var ptz = await app.CameraAsync(place, 45, 135, new { type = "ptz", rangeMeters = 250.0, streamUrl = "rtsp://vms.test/ptz-e2e" });
        var fixedCam = await app.CameraAsync(place, 70, 0, new { type = "fixed", headingDegrees = 180.0, fieldOfViewDegrees = 60.0,
            streamUrl = "https://vms.test/hls/fixed-e2e.m3u8" });
        var incidentId = await app.PostGunshotAsync(place);

        using var commander = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        var entry = await VideoTestKit.WaitForVideoEntryAsync(commander, incidentId);

        Assert.Equal("CamerasTasked", entry["kind"]!.GetValue<string>());
        Assert.Equal("1 PTZ camera turned (nearest 45 m), 1 fixed camera covers the scene, 2 recordings bookmarked (30 s before to 5 min after)",
            entry["text"]!.GetValue<string>());
        Assert.Equal(315, app.Driver().PositionOf(ptz)!.Value.Pan, 1); // from 45 m south-east, the incident lies north-west

        var cameras = (await (await commander.GetAsync($"api/v1/video/incidents/{incidentId}/cameras")).ReadJsonAsync()).AsArray();
        Assert.Equal([ptz, fixedCam], cameras.Select(c => c!["cameraId"]!.GetValue<Guid>()));
        Assert.Equal("rtsp://vms.test/ptz-e2e", cameras[0]!["streamUrl"]!.GetValue<string>());
        foreach (var field in new[] { "name", "type", "latitude", "longitude", "rangeMeters", "bearingDegrees", "tiltDegrees", "distanceMeters",
                     "bookmarkFrom", "bookmarkTo", "status" })
            Assert.NotNull(cameras[0]![field]);
    }

    [Fact]
    public async Task The_incident_cameras_page_lists_stream_links_and_embeds_the_same_data_for_the_map()
    {
        var place = Api.Place();
        var ptz = await app.CameraAsync(place, 45, 135, new { type = "ptz", rangeMeters = 250.0, streamUrl = "rtsp://vms.test/page-ptz" });
        var incidentId = await app.PostGunshotAsync(place);
        using var adminApi = app.AdminClient();
        await VideoTestKit.WaitForVideoEntryAsync(adminApi, incidentId);

        using var officer = await app.SignedInAsync(Users.Officer);
        var html = await officer.GetStringAsync($"Video/Incidents/Cameras/{incidentId}");

        Assert.Contains("href=\"rtsp://vms.test/page-ptz\"", html);
        var json = JsonNode.Parse(DataScript().Match(html).Groups[1].Value)!.AsArray();
        var camera = Assert.Single(json)!;
        Assert.Equal(ptz, camera["cameraId"]!.GetValue<Guid>());
        Assert.Equal(315, camera["bearingDegrees"]!.GetValue<double>(), 1);
        Assert.Equal(45, camera["distanceMeters"]!.GetValue<double>(), 1);
        Assert.Equal("ok", camera["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await officer.GetAsync($"Video/Incidents/Cameras/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task The_camera_admin_page_lists_every_camera_with_its_view_for_the_map_and_is_for_administrators()
    {
        var place = Api.Place();
        var ptz = await app.CameraAsync(place, 10, 0, new { type = "ptz", rangeMeters = 220.0, panMinDegrees = 300.0, panMaxDegrees = 60.0,
            streamUrl = "rtsp://vms.test/admin-ptz" });

        using var admin = await app.SignedInAsync(Users.Admin);
        var response = await admin.GetAsync("Video/Admin/Cameras");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"data-camera-id=\"{ptz}\"", html);
        Assert.Contains("pan 300°→60°", WebUtility.HtmlDecode(html));
        Assert.Contains("href=\"rtsp://vms.test/admin-ptz\"", html);
        var data = JsonNode.Parse(CameraData().Match(html).Groups[1].Value)!.AsArray();
        var listed = Assert.Single(data, c => c!["id"]!.GetValue<Guid>() == ptz)!;
        Assert.Equal((220.0, 300.0, 60.0), (listed["rangeMeters"]!.GetValue<double>(), listed["panMinDegrees"]!.GetValue<double>(),
            listed["panMaxDegrees"]!.GetValue<double>()));

        using var commander = await app.SignedInAsync(Users.Commander);
        var refused = await commander.GetAsync("Video/Admin/Cameras");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/Account/AccessDenied", refused.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Camera_pan_tilt_and_mount_settings_are_kept_and_bad_ones_are_refused_with_the_field_named()
    {
        var (id, _) = await app.RegisterDeviceAsync(DeviceKinds.Camera, settings: new
        {
            type = "ptz", panMinDegrees = 270.0, panMaxDegrees = 90.0, tiltMinDegrees = -45.0, tiltMaxDegrees = 10.0, mountHeightMeters = 9.5,
        });
        using var admin = app.AdminClient();
        var settings = (await (await admin.GetAsync("api/v1/devices?kind=camera")).ReadJsonAsync()).AsArray()
            .Single(d => d!["id"]!.GetValue<Guid>() == id)!["settings"]!;
        Assert.Equal([270, 90, -45, 10, 9.5], new[] { "panMinDegrees", "panMaxDegrees", "tiltMinDegrees", "tiltMaxDegrees", "mountHeightMeters" }
            .Select(f => settings[f]!.GetValue<double>()));
        var (fixedId, _) = await app.RegisterDeviceAsync(DeviceKinds.Camera, settings: new { type = "fixed", headingDegrees = 10.0 });
        var defaults = (await (await admin.GetAsync("api/v1/devices?kind=camera")).ReadJsonAsync()).AsArray()
            .Single(d => d!["id"]!.GetValue<Guid>() == fixedId)!["settings"]!;
        Assert.Equal(6, defaults["mountHeightMeters"]!.GetValue<double>());

        foreach (var (bad, field) in new[]
                 {
                     ("""{"type":"ptz","panMinDegrees":10}""", "settings.panMaxDegrees"),
                     ("""{"type":"ptz","panMinDegrees":10,"panMaxDegrees":10}""", "settings.panMaxDegrees"),
                     ("""{"type":"ptz","tiltMinDegrees":-100}""", "settings.tiltMinDegrees"),
                     ("""{"type":"fixed","panMinDegrees":0,"panMaxDegrees":90}""", "settings.panMinDegrees"),
                     ("""{"type":"ptz","mountHeightMeters":-2}""", "settings.mountHeightMeters"),
                 })
        {
            var response = await admin.PostAsync("api/v1/devices", new StringContent(
                $$"""{"kind":"camera","name":"bad ptz","latitude":1,"longitude":1,"settings":{{bad}}}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(field, (await response.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key));
        }
    }

    [GeneratedRegex("<script type=\"application/json\" id=\"incident-cameras-data\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex DataScript();

    [GeneratedRegex("<script type=\"application/json\" id=\"camera-data\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex CameraData();
}
