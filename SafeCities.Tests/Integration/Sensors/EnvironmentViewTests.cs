
namespace SafeCities.Tests.Integration.Sensors;

/// <summary>
/// What command staff see of the environmental sensors: each sensor's latest values and current AQI, and a sensor's series in buckets
/// (minimum, mean, maximum) with the thresholds of exactly the rules whose area holds it.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class EnvironmentViewTests(AppFixture app)
{
    [Fact]
    public async Task The_list_gives_the_latest_values_and_the_AQI_and_the_series_buckets_them_with_the_rules_that_watch_the_sensor()
    {
        var (lat, lon) = Api.Place();
        var (id, key) = await app.RegisterDeviceAsync(DeviceKinds.EnvironmentalSensor, lat, lon);
        using var device = app.Client(key);
        // Two readings in one 5-minute bucket an hour ago, one in the current hour; the newest PM2.5 (40.0 µg/m³) gives AQI 112.
        var now = DateTimeOffset.UtcNow;
        var bucket = DateTimeOffset.FromUnixTimeSeconds(now.AddHours(-1).ToUnixTimeSeconds() / 300 * 300);
        Assert.Equal(HttpStatusCode.OK, (await device.PostAsync("api/v1/sensors/readings", SensorsTestKit.Readings(
            ("a", bucket.AddSeconds(10), "pm2_5", 10), ("b", bucket.AddSeconds(70), "pm2_5", 20), ("c", now.AddMinutes(-2), "pm2_5", 40),
            ("d", now.AddMinutes(-2), "noise_laeq", 61.5)))).StatusCode);

        using var admin = app.AdminClient();
        var name = $"PM near {Guid.NewGuid():N}"[..18];
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("api/v1/sensors/rules", new
        {
            name, quantity = "pm2_5", above = true, threshold = 35, clearLevel = 30, sustainedSeconds = 600, severity = "medium",
            centerLatitude = lat, centerLongitude = lon, radiusMeters = 300,
        })).StatusCode);
        var far = $"PM far {Guid.NewGuid():N}"[..18];
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("api/v1/sensors/rules", new
        {
            name = far, quantity = "pm2_5", above = true, threshold = 50, clearLevel = 40, sustainedSeconds = 0, severity = "low",
            centerLatitude = lat + 0.1, centerLongitude = lon, radiusMeters = 300,
        })).StatusCode);

        using var commander = await app.SignedInAsync(Users.Commander);
        var sensors = (await (await commander.GetAsync("api/v1/sensors/environment")).ReadJsonAsync()).AsArray();
        var sensor = sensors.Single(s => s!["id"]!.GetValue<Guid>() == id)!;
        Assert.Equal(112, sensor["aqi"]!.GetValue<int>());
        Assert.Equal("Unhealthy for sensitive groups", sensor["aqiCategory"]!.GetValue<string>());
        Assert.Equal("pm2_5", sensor["aqiPollutant"]!.GetValue<string>());
        Assert.Equal(["noise_laeq 61.5 dB", "pm2_5 40 ug/m3"],
            sensor["values"]!.AsArray().Select(v => $"{v!["quantity"]} {v["value"]} {v["unit"]}").Order(StringComparer.Ordinal));
        // For people: the short name and the unit as written ("µg/m³", not the UCUM code).
        Assert.Equal(["LAeq 61.5 dB", "PM2.5 40 µg/m³"], sensor["values"]!.AsArray().Select(v => v!["text"]!.GetValue<string>()).Order(StringComparer.Ordinal));

        var series = await (await commander.GetAsync($"api/v1/sensors/environment/{id}/series?range=24h")).ReadJsonAsync();
        Assert.Equal(300, series["bucketSeconds"]!.GetValue<int>());
        var pm = series["quantities"]!.AsArray().Single(q => q!["quantity"]!.GetValue<string>() == "pm2_5")!;
        var points = pm["points"]!.AsArray();
        Assert.Equal(2, points.Count);
        Assert.Equal((10.0, 15.0, 20.0), (points[0]!["min"]!.GetValue<double>(), points[0]!["mean"]!.GetValue<double>(), points[0]!["max"]!.GetValue<double>()));
        Assert.Equal(40.0, points[1]!["mean"]!.GetValue<double>());
        var thresholds = pm["thresholds"]!.AsArray().Select(t => t!["rule"]!.GetValue<string>()).ToList();
        Assert.Contains(name, thresholds);
        Assert.DoesNotContain(far, thresholds);

        Assert.Equal(HttpStatusCode.BadRequest, (await commander.GetAsync($"api/v1/sensors/environment/{id}/series?range=1y")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await commander.GetAsync($"api/v1/sensors/environment/{Guid.NewGuid()}/series?range=7d")).StatusCode);
        using var anonymous = app.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/v1/sensors/environment")).StatusCode);
    }
}
