using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Tests.Integration.Lighting;
using SafeCities.Tests.Integration.Video;

namespace SafeCities.Tests.Integration.Sensors;

/// <summary>
/// Threshold rules open incidents: an administrator's rule (validated, audited), a water-pressure sensor whose pressure collapses (a burst
/// main) → a "water" incident on the board with the nearby sensors' values; recovery past the clear level → "cleared" on its timeline.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ThresholdIncidentTests(AppFixture app)
{
    [Fact]
    public async Task A_burst_main_opens_a_water_incident_with_the_nearby_values_and_its_recovery_clears_it()
    {
        var (lat, lon) = Api.Place();
        using var admin = app.AdminClient();
        var name = $"Burst main {Guid.NewGuid():N}"[..20];
        var created = await admin.PostAsJsonAsync("api/v1/sensors/rules", new
        {
            name, quantity = "pipe_pressure", above = false, threshold = 200, clearLevel = 300, sustainedSeconds = 60, severity = "high",
            centerLatitude = lat, centerLongitude = lon, radiusMeters = 500,
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        Assert.True(await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'threshold-rule.created' AND details::text LIKE '%{name}%'") == 1);

        var (pipe, pipeKey) = await app.RegisterDeviceAsync(DeviceKinds.EnvironmentalSensor, lat, lon);
        var (air, airKey) = await app.RegisterDeviceAsync(DeviceKinds.EnvironmentalSensor, lat + 0.003, lon);
        using var pipeClient = app.Client(pipeKey);
        using var airClient = app.Client(airKey);
        var t = DateTimeOffset.UtcNow.AddMinutes(-10);
        Assert.Equal(HttpStatusCode.OK, (await airClient.PostAsync("api/v1/sensors/readings", SensorsTestKit.Readings(("a1", t, "pm2_5", 14.2)))).StatusCode);

        // 420 kPa, then 150 for 30 s (not yet sustained), 140 after 70 s: the rule crosses once.
        Assert.Equal(HttpStatusCode.OK, (await pipeClient.PostAsync("api/v1/sensors/readings",
            SensorsTestKit.Readings(("p1", t, "pipe_pressure", 420), ("p2", t.AddSeconds(10), "pipe_pressure", 150), ("p3", t.AddSeconds(40), "pipe_pressure", 145)))).StatusCode);
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM alerts.incidents WHERE title LIKE '%{name}%'"));
        Assert.Equal(HttpStatusCode.OK, (await pipeClient.PostAsync("api/v1/sensors/readings", SensorsTestKit.Readings(("p4", t.AddSeconds(80), "pipe_pressure", 140)))).StatusCode);

        var incidentId = await WaitAsync(async () =>
        {
            var open = await (await admin.GetAsync("api/v1/incidents?status=open")).ReadJsonAsync();
            return open.AsArray().FirstOrDefault(i => i!["kind"]!.GetValue<string>() == "water" && i["title"]!.GetValue<string>().Contains(name, StringComparison.Ordinal))
                ?["id"]!.GetValue<Guid>();
        });
        var timeline = await app.WaitForTimelineAsync(incidentId, "ThresholdCrossed", "NearbySensors");
        Assert.Contains("PM2.5 14.2 µg/m³", timeline.Text("NearbySensors"), StringComparison.Ordinal);
        Assert.Contains("Pipe pressure 140 kPa, at or below 200", timeline.Text("ThresholdCrossed"), StringComparison.Ordinal);

        // 250 is between the threshold and the clear level: still crossed. 320 clears it; a repeat of the same readings changes nothing.
        await pipeClient.PostAsync("api/v1/sensors/readings", SensorsTestKit.Readings(("p5", t.AddSeconds(120), "pipe_pressure", 250)));
        await pipeClient.PostAsync("api/v1/sensors/readings", SensorsTestKit.Readings(("p6", t.AddSeconds(180), "pipe_pressure", 320)));
        await pipeClient.PostAsync("api/v1/sensors/readings", SensorsTestKit.Readings(("p6", t.AddSeconds(180), "pipe_pressure", 320)));
        timeline = await app.WaitForTimelineAsync(incidentId, "ThresholdCleared");
        Assert.Contains("reads 320 kPa, past the clear level 300", timeline.Text("ThresholdCleared"), StringComparison.Ordinal);
        Assert.Single(timeline, e => e!["kind"]!.GetValue<string>() == "ThresholdCleared");
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM alerts.incidents WHERE kind = 'water' AND title LIKE '%{name}%'"));
    }

    [Fact]
    public async Task A_pressure_drop_of_30_percent_within_5_minutes_opens_a_water_incident_and_the_recovery_clears_it()
    {
        var (lat, lon) = Api.Place();
        using var admin = app.AdminClient();
        var name = $"Drop {Guid.NewGuid():N}"[..14];
        var created = await admin.PostAsJsonAsync("api/v1/sensors/rules", new
        {
            name, quantity = "pipe_pressure", above = false, threshold = -30, clearLevel = -10, sustainedSeconds = 0, severity = "high",
            changeWindowSeconds = 300, centerLatitude = lat, centerLongitude = lon, radiusMeters = 200,
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.EnvironmentalSensor, lat, lon);
        using var pipe = app.Client(key);
        var t = DateTimeOffset.UtcNow.AddMinutes(-20);

        // 420 kPa, then 300 two minutes later: nothing five minutes old to compare with yet. 280 at five minutes: −33 % against 420.
        Assert.Equal(HttpStatusCode.OK, (await pipe.PostAsync("api/v1/sensors/readings",
            SensorsTestKit.Readings(("d1", t, "pipe_pressure", 420), ("d2", t.AddSeconds(120), "pipe_pressure", 300)))).StatusCode);
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM alerts.incidents WHERE title LIKE '%{name}%'"));
        Assert.Equal(HttpStatusCode.OK, (await pipe.PostAsync("api/v1/sensors/readings",
            SensorsTestKit.Readings(("d3", t.AddSeconds(300), "pipe_pressure", 280)))).StatusCode);
        var incidentId = await WaitAsync(async () =>
        {
            var open = await (await admin.GetAsync("api/v1/incidents?status=open")).ReadJsonAsync();
            return open.AsArray().FirstOrDefault(i => i!["kind"]!.GetValue<string>() == "water" && i["title"]!.GetValue<string>().Contains(name, StringComparison.Ordinal))
                ?["id"]!.GetValue<Guid>();
        });
        var timeline = await app.WaitForTimelineAsync(incidentId, "ThresholdCrossed");
        Assert.Contains("Pipe pressure change in 5 min -33.3 %, at or below -30", timeline.Text("ThresholdCrossed"), StringComparison.Ordinal);

        // Eleven minutes: +46 % against 280 (the latest reading at least five minutes before): past the clear level of −10 %.
        await pipe.PostAsync("api/v1/sensors/readings", SensorsTestKit.Readings(("d4", t.AddSeconds(660), "pipe_pressure", 410)));
        timeline = await app.WaitForTimelineAsync(incidentId, "ThresholdCleared");
        Assert.Contains("reads 46.4 %, past the clear level -10", timeline.Text("ThresholdCleared"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rule_that_makes_no_sense_is_refused_with_each_problem_named()
    {
        using var admin = app.AdminClient();
        var bad = await admin.PostAsJsonAsync("api/v1/sensors/rules", new
        {
            name = "", quantity = "pm2_5", above = true, threshold = 5000, clearLevel = 6000, sustainedSeconds = -1, severity = "extreme", radiusMeters = 100,
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key.ToLowerInvariant()).ToList();
        foreach (var field in new[] { "rule.name", "threshold", "clearlevel", "rule.sustainedseconds", "rule.severity", "area" })
            Assert.Contains(errors, e => e.EndsWith(field, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_seismic_incident_turns_the_cameras_when_video_lists_its_kind_as_a_trigger()
    {
        var place = Api.Place();
        using var admin = app.AdminClient();
        var name = $"Quake {Guid.NewGuid():N}"[..16];
        var created = await admin.PostAsJsonAsync("api/v1/sensors/rules", new
        {
            name, quantity = "pga", above = true, threshold = 0.1, clearLevel = 0.05, sustainedSeconds = 0, severity = "high",
            centerLatitude = place.Lat, centerLongitude = place.Lon, radiusMeters = 500,
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var camera = await app.CameraAsync(place, 60, 90, new { type = "ptz", rangeMeters = 250.0 });
        var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.EnvironmentalSensor, place.Lat, place.Lon);
        await app.SetReactionSettingsAsync(30, 5, 10, IncidentKinds.Gunshot, IncidentKinds.Seismic);
        try
        {
            using var device = app.Client(key);
            Assert.Equal(HttpStatusCode.OK, (await device.PostAsync("api/v1/sensors/readings",
                SensorsTestKit.Readings(("q1", DateTimeOffset.UtcNow.AddSeconds(-3), "pga", 0.3)))).StatusCode);
            var incidentId = await WaitAsync(async () =>
            {
                var open = await (await admin.GetAsync("api/v1/incidents?status=open")).ReadJsonAsync();
                return open.AsArray().FirstOrDefault(i => i!["kind"]!.GetValue<string>() == "seismic" && i["title"]!.GetValue<string>().Contains(name, StringComparison.Ordinal))
                    ?["id"]!.GetValue<Guid>();
            });
            var video = await VideoTestKit.WaitForVideoEntryAsync(admin, incidentId);
            Assert.Contains("1 PTZ camera turned", video["text"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Contains(await app.IncidentCamerasAsync(incidentId), c => c.CameraId == camera);
        }
        finally
        {
            await app.RestoreDefaultReactionSettingsAsync();
        }
    }

    private static async Task<Guid> WaitAsync(Func<Task<Guid?>> find) =>
        (await Poll.ForAsync(find, id => id is not null, TimeSpan.FromSeconds(15), _ => "no incident opened within 15 s"))!.Value;
}
