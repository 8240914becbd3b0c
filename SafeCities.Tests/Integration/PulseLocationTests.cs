using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Tests.Integration;

/// <summary>Raw acoustic pulses from several sensors → multilateration → detection → incident, through the real API.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PulseLocationTests(AppFixture app)
{
    private static readonly double SpeedOfSound = 20.05 * Math.Sqrt(15 + 273.15); // the app's default air temperature

    private sealed record Sensor(Guid Id, string Key, double Lat, double Lon);

    private async Task<List<Sensor>> SensorsAroundAsync(double lat, double lon, params (double Meters, double Bearing)[] spots)
    {
        var sensors = new List<Sensor>();
        foreach (var (meters, bearing) in spots)
        {
            var (sLat, sLon) = GeoMath.Offset(lat, lon, meters, bearing);
            using var admin = app.AdminClient();
            var created = await (await admin.PostAsJsonAsync("api/v1/devices",
                new { kind = DeviceKinds.AcousticSensor, name = $"acoustic {bearing}", latitude = sLat, longitude = sLon, elevationMeters = 10.0 })).ReadJsonAsync();
            sensors.Add(new Sensor(created["id"]!.GetValue<Guid>(), created["apiKey"]!.GetValue<string>(), sLat, sLon));
        }
        return sensors;
    }

    private static DateTimeOffset Arrival(Sensor s, double lat, double lon, DateTimeOffset fired, double extraSeconds = 0) =>
        fired + TimeSpan.FromSeconds(GeoMath.DistanceMeters(lat, lon, s.Lat, s.Lon) / SpeedOfSound + extraSeconds);

    private async Task<JsonNode> PostPulseAsync(Sensor sensor, string pulseId, DateTimeOffset arrival)
    {
        using var client = app.Client(sensor.Key);
        var response = await client.PostAsJsonAsync("api/v1/sensors/pulses", new { pulses = new[] { new { pulseId, arrivalTime = arrival, snrDb = 25.0 } } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    [Fact]
    public async Task Pulses_from_several_sensors_locate_the_shot_and_open_an_incident()
    {
        var (centerLat, centerLon) = Api.Place();
        var sensors = await SensorsAroundAsync(centerLat, centerLon, (600, 0), (650, 75), (550, 150), (700, 220), (620, 300));
        var (shotLat, shotLon) = GeoMath.Offset(centerLat, centerLon, 180, 40);
        var fired = DateTimeOffset.UtcNow.AddSeconds(-20);
        var inOrder = sensors.OrderBy(s => Arrival(s, shotLat, shotLon, fired)).ToList();

        JsonNode? located = null;
        foreach (var (sensor, i) in inOrder.Select((s, i) => (s, i)))
        {
            var result = await PostPulseAsync(sensor, $"p-{i}", Arrival(sensor, shotLat, shotLon, fired));
            Assert.Equal(1, result["accepted"]!.GetValue<int>());
            var shots = result["located"]!.AsArray();
            if (i < 2)
                Assert.Empty(shots); // two sensors cannot locate anything
            else if (shots.Count > 0)
                located ??= shots.Single();
        }

        Assert.NotNull(located);
        var error = GeoMath.DistanceMeters(shotLat, shotLon, located["latitude"]!.GetValue<double>(), located["longitude"]!.GetValue<double>());
        Assert.True(error < 3, $"located {error:0.0} m from the truth");
        Assert.InRange(located["uncertaintyMeters"]!.GetValue<double>(), 0.1, 50);
        Assert.InRange((located["occurredAt"]!.GetValue<DateTimeOffset>() - fired).Duration().TotalMilliseconds, 0, 10);
        var detectionId = located["detectionId"]!.GetValue<Guid>();
        var sensorIds = string.Join(",", sensors.Select(s => $"'{s.Id}'"));
        // One shot, one detection: the sensors that reported after it was located joined it.
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM sensors.detections WHERE device_id IN ({sensorIds})"));
        Assert.Equal(5, await app.CountAsync($"SELECT count(*) FROM sensors.pulses WHERE detection_id = '{detectionId}'"));

        using var admin = app.AdminClient();
        var incident = await (await admin.GetAsync($"api/v1/incidents/{located["incidentId"]!.GetValue<Guid>()}")).ReadJsonAsync();
        Assert.Equal("gunshot", incident["incident"]!["kind"]!.GetValue<string>());
        Assert.Contains("Acoustic sensors", incident["incident"]!["source"]!.GetValue<string>());
        Assert.Contains("±", incident["timeline"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_late_echo_does_not_join_the_shot_and_repeated_pulses_are_stored_once()
    {
        var (centerLat, centerLon) = Api.Place();
        var sensors = await SensorsAroundAsync(centerLat, centerLon, (500, 10), (520, 100), (480, 190), (510, 280));
        var fired = DateTimeOffset.UtcNow.AddSeconds(-30);
        var inOrder = sensors.OrderBy(s => Arrival(s, centerLat, centerLon, fired)).ToList();
        foreach (var (sensor, i) in inOrder.Select((s, i) => (s, i)))
            await PostPulseAsync(sensor, $"q-{i}", Arrival(sensor, centerLat, centerLon, fired));
        // An echo 120 ms after the direct sound at the first sensor.
        var echo = await PostPulseAsync(inOrder[0], "q-echo", Arrival(inOrder[0], centerLat, centerLon, fired, 0.12));
        Assert.Empty(echo["located"]!.AsArray());
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM sensors.pulses WHERE pulse_id = 'q-echo' AND device_id = '{inOrder[0].Id}' AND detection_id IS NULL"));

        var again = await PostPulseAsync(inOrder[1], "q-1", Arrival(inOrder[1], centerLat, centerLon, fired));
        Assert.Equal((0, 1), (again["accepted"]!.GetValue<int>(), again["duplicates"]!.GetValue<int>()));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM sensors.pulses WHERE pulse_id = 'q-1' AND device_id = '{inOrder[1].Id}'"));
    }

    [Fact]
    public async Task Bad_pulse_batches_are_refused_naming_the_field_and_only_acoustic_sensors_may_post()
    {
        var (lat, lon) = Api.Place();
        var sensor = (await SensorsAroundAsync(lat, lon, (100, 0))).Single();
        using var client = app.Client(sensor.Key);
        var before = await app.CountAsync("SELECT count(*) FROM sensors.pulses");

        var future = await client.PostAsJsonAsync("api/v1/sensors/pulses",
            new { pulses = new object[] { new { pulseId = "ok", arrivalTime = DateTimeOffset.UtcNow }, new { pulseId = "late", arrivalTime = DateTimeOffset.UtcNow.AddHours(2) } } });
        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
        Assert.Contains("pulses[1].arrivalTime", (await future.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("api/v1/sensors/pulses", new { pulses = Array.Empty<object>() })).StatusCode);
        var twice = await client.PostAsJsonAsync("api/v1/sensors/pulses",
            new { pulses = new[] { new { pulseId = "x", arrivalTime = DateTimeOffset.UtcNow }, new { pulseId = "x", arrivalTime = DateTimeOffset.UtcNow } } });
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Equal(before, await app.CountAsync("SELECT count(*) FROM sensors.pulses"));

        var (_, feedKey) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed, lat, lon);
        using var feed = app.Client(feedKey);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await feed.PostAsJsonAsync("api/v1/sensors/pulses", new { pulses = new[] { new { pulseId = "f", arrivalTime = DateTimeOffset.UtcNow } } })).StatusCode);
    }
}
