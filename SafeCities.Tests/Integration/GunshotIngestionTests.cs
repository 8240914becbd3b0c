using System.Text;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Tests.Integration;

[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class GunshotIngestionTests(AppFixture app)
{
    private const string Detections = "SELECT count(*) FROM sensors.detections";
    private const string Incidents = "SELECT count(*) FROM alerts.incidents";

    [Fact]
    public async Task A_new_alert_opens_an_incident_and_a_repeat_returns_the_same_one_creating_nothing()
    {
        var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed);
        using var device = app.Client(key);
        var (lat, lon) = Api.Place();
        var shot = Api.Gunshot("ext-1", lat, lon, rounds: 4);

        var first = await device.PostAsJsonAsync("api/v1/sensors/gunshots", shot);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var incidentId = (await first.ReadJsonAsync())["incidentId"]!.GetValue<Guid>();
        var (detections, incidents) = (await app.CountAsync(Detections), await app.CountAsync(Incidents));

        var again = await device.PostAsJsonAsync("api/v1/sensors/gunshots", shot);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(incidentId, (await again.ReadJsonAsync())["incidentId"]!.GetValue<Guid>());
        Assert.Equal((detections, incidents), (await app.CountAsync(Detections), await app.CountAsync(Incidents)));

        using var admin = app.AdminClient();
        var incident = await (await admin.GetAsync($"api/v1/incidents/{incidentId}")).ReadJsonAsync();
        Assert.Equal("open", incident["incident"]!["status"]!.GetValue<string>());
        Assert.Equal(4, incident["incident"]!["rounds"]!.GetValue<int>());
        Assert.Equal(1, incident["incident"]!["detections"]!.GetValue<int>());
        Assert.Equal("IncidentOpened", incident["timeline"]![0]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Shots_near_in_place_and_time_join_one_incident_and_a_distant_shot_opens_another()
    {
        var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed);
        using var device = app.Client(key);
        var (lat, lon) = Api.Place();
        var (nearLat, nearLon) = GeoMath.Offset(lat, lon, 120, 30);
        var (farLat, farLon) = GeoMath.Offset(lat, lon, 2500, 200);
        var now = DateTimeOffset.UtcNow;

        var a = await Post(device, Api.Gunshot(null, lat, lon, 2, now.AddSeconds(-40)));
        var b = await Post(device, Api.Gunshot(null, nearLat, nearLon, 3, now.AddSeconds(-20)));
        var c = await Post(device, Api.Gunshot(null, farLat, farLon, 1, now));

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        using var admin = app.AdminClient();
        var joined = await (await admin.GetAsync($"api/v1/incidents/{a}")).ReadJsonAsync();
        Assert.Equal(5, joined["incident"]!["rounds"]!.GetValue<int>());
        Assert.Equal(2, joined["incident"]!["detections"]!.GetValue<int>());
        Assert.Contains(joined["timeline"]!.AsArray(), t => t!["kind"]!.GetValue<string>() == "ShotsJoined");
    }

    [Fact]
    public async Task The_same_external_id_from_another_device_is_another_detection()
    {
        var (_, key1) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed);
        var (_, key2) = await app.RegisterDeviceAsync(DeviceKinds.AcousticSensor);
        var (lat, lon) = Api.Place();
        var before = await app.CountAsync(Detections);
        using var d1 = app.Client(key1);
        using var d2 = app.Client(key2);
        Assert.Equal(HttpStatusCode.Created, (await d1.PostAsJsonAsync("api/v1/sensors/gunshots", Api.Gunshot("shared-id", lat, lon))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await d2.PostAsJsonAsync("api/v1/sensors/gunshots", Api.Gunshot("shared-id", lat, lon))).StatusCode);
        Assert.Equal(before + 2, await app.CountAsync(Detections));
    }

    [Fact]
    public async Task Concurrent_repeats_of_one_alert_store_it_once()
    {
        var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed);
        var (lat, lon) = Api.Place();
        var shot = Api.Gunshot("burst-1", lat, lon);
        var before = await app.CountAsync(Detections);
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            using var device = app.Client(key);
            var response = await device.PostAsJsonAsync("api/v1/sensors/gunshots", shot);
            return (response.StatusCode, Id: (await response.ReadJsonAsync())["incidentId"]!.GetValue<Guid>());
        }));
        Assert.Equal(before + 1, await app.CountAsync(Detections));
        Assert.Single(responses.Select(r => r.Id).Distinct());
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
    }

    public static TheoryData<string, string, HttpStatusCode> BadBodies() => new()
    {
        { "malformed JSON", "{\"externalId\": \"x\", \"occurredAt\": ", HttpStatusCode.BadRequest },
        { "not JSON at all", "rounds=3", HttpStatusCode.BadRequest },
        { "missing fields", "{\"externalId\":\"x\",\"latitude\":38.8}", HttpStatusCode.BadRequest },
        { "latitude out of range", Body(lat: "91.5"), HttpStatusCode.BadRequest },
        { "longitude out of range", Body(lon: "-181"), HttpStatusCode.BadRequest },
        { "zero rounds", Body(rounds: "0"), HttpStatusCode.BadRequest },
        { "a string where a number belongs", Body(rounds: "\"three\""), HttpStatusCode.BadRequest },
        { "null external id", Body(id: "null"), HttpStatusCode.BadRequest },
        { "empty external id", Body(id: "\"\""), HttpStatusCode.BadRequest },
        { "time in the future", Body(at: $"\"{DateTimeOffset.UtcNow.AddHours(1):O}\""), HttpStatusCode.BadRequest },
        { "not a time", Body(at: "\"yesterday\""), HttpStatusCode.BadRequest },
    };

    private static string Body(string id = "\"bad-1\"", string? at = null, string lat = "38.85", string lon = "-76.99", string rounds = "2") =>
        $"{{\"externalId\":{id},\"occurredAt\":{at ?? $"\"{DateTimeOffset.UtcNow:O}\""},\"latitude\":{lat},\"longitude\":{lon},\"rounds\":{rounds},\"source\":\"t\"}}";

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_input_gets_a_clear_problem_and_writes_nothing(string why, string body, HttpStatusCode expected)
    {
        var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed);
        using var device = app.Client(key);
        var before = (await app.CountAsync(Detections), await app.CountAsync(Incidents));

        var response = await device.PostAsync("api/v1/sensors/gunshots", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.True(expected == response.StatusCode, $"{why}: got {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadJsonAsync();
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()), why);
        Assert.Equal(before, (await app.CountAsync(Detections), await app.CountAsync(Incidents)));
    }

    [Fact]
    public async Task Validation_problems_name_each_bad_field()
    {
        var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed);
        using var device = app.Client(key);
        var response = await device.PostAsync("api/v1/sensors/gunshots",
            new StringContent(Body(lat: "95", rounds: "0"), Encoding.UTF8, "application/json"));
        var errors = (await response.ReadJsonAsync())["errors"]!.AsObject();
        Assert.Equal(["latitude", "rounds"], errors.Select(e => e.Key).Order().ToArray());
    }

    [Fact]
    public async Task Wrong_absent_or_unsuitable_keys_are_refused_and_write_nothing()
    {
        var (_, cameraKey) = await app.RegisterDeviceAsync(DeviceKinds.Camera);
        var officerKey = await app.CreateClientKeyAsync(Roles.Officer);
        var before = await app.CountAsync(Detections);
        foreach (var (key, status) in new (string?, HttpStatusCode)[]
                 {
                     (null, HttpStatusCode.Unauthorized), ("sck_not-a-real-key-at-all-0000000000", HttpStatusCode.Unauthorized),
                     ("short", HttpStatusCode.Unauthorized), (cameraKey, HttpStatusCode.Forbidden), (officerKey, HttpStatusCode.Forbidden),
                 })
        {
            using var client = app.Client(key);
            var response = await client.PostAsJsonAsync("api/v1/sensors/gunshots", Api.Gunshot());
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(before, await app.CountAsync(Detections));
    }

    private static async Task<Guid> Post(HttpClient device, object shot)
    {
        var response = await device.PostAsJsonAsync("api/v1/sensors/gunshots", shot);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync())["incidentId"]!.GetValue<Guid>();
    }
}
