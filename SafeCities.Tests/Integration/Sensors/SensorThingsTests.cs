using System.Text.Json.Nodes;

namespace SafeCities.Tests.Integration.Sensors;

/// <summary>
/// The read-only OGC SensorThings API 1.1 as a client uses it (the checks follow the specification's conformance classes for the data model,
/// resource paths and request data): the service document; a Thing with its Location and Datastreams; a Datastream's unit and its latest
/// Observation; the Observations of a time range, counted and paged by nextLink; navigation back from an Observation; and a clear 400 or 404
/// for what the service does not understand or does not have.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SensorThingsTests(AppFixture app)
{
    [Fact]
    public async Task A_client_walks_from_the_service_document_to_a_datastreams_observations_in_a_time_range()
    {
        var (lat, lon) = Api.Place();
        var (id, key) = await app.RegisterDeviceAsync(DeviceKinds.EnvironmentalSensor, lat, lon);
        using var device = app.Client(key);
        var t0 = DateTimeOffset.UtcNow.AddHours(-2);
        var readings = Enumerable.Range(0, 12).Select(i => ($"w{i}", t0.AddMinutes(10 * i), "wind_speed", 3.0 + i)).ToList();
        readings.Add(("p0", t0, "pm10", 20));
        Assert.Equal(HttpStatusCode.OK, (await device.PostAsync("api/v1/sensors/readings", SensorsTestKit.Readings([.. readings]))).StatusCode);

        using var client = await app.SignedInAsync(Users.Analyst);
        var root = await Get(client, "sensorthings/v1.1");
        Assert.Equal(["Things", "Locations", "Datastreams", "Sensors", "ObservedProperties", "Observations"],
            root["value"]!.AsArray().Select(e => e!["name"]!.GetValue<string>()));
        Assert.Contains("http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel",
            root["serverSettings"]!["conformance"]!.AsArray().Select(c => c!.GetValue<string>()));

        var thing = await Get(client, $"sensorthings/v1.1/Things('{id}')");
        Assert.Equal(id.ToString(), thing["@iot.id"]!.GetValue<string>());
        Assert.EndsWith($"/sensorthings/v1.1/Things('{id}')", thing["@iot.selfLink"]!.GetValue<string>(), StringComparison.Ordinal);
        var location = (await Get(client, thing["Locations@iot.navigationLink"]!.GetValue<string>()))["value"]!.AsArray().Single()!;
        Assert.Equal("application/geo+json", location["encodingType"]!.GetValue<string>());
        Assert.Equal([lon, lat], location["location"]!["coordinates"]!.AsArray().Select(c => c!.GetValue<double>()).Take(2));

        var streams = (await Get(client, thing["Datastreams@iot.navigationLink"]!.GetValue<string>()))["value"]!.AsArray();
        Assert.Equal([$"{id}.pm10", $"{id}.wind_speed"], streams.Select(s => s!["@iot.id"]!.GetValue<string>()));
        var wind = streams.Single(s => s!["@iot.id"]!.GetValue<string>().EndsWith("wind_speed", StringComparison.Ordinal))!;
        Assert.Equal("m/s", wind["unitOfMeasurement"]!["symbol"]!.GetValue<string>());
        Assert.Equal("http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement", wind["observationType"]!.GetValue<string>());
        var observations = wind["Observations@iot.navigationLink"]!.GetValue<string>();

        // The latest observation of the datastream.
        var latest = (await Get(client, $"{observations}?$top=1&$orderby=phenomenonTime%20desc"))["value"]!.AsArray().Single()!;
        Assert.Equal(14.0, latest["result"]!.GetValue<double>());
        Assert.Equal(t0.AddMinutes(110).ToUnixTimeMilliseconds(), DateTimeOffset.Parse(latest["phenomenonTime"]!.GetValue<string>()).ToUnixTimeMilliseconds());

        // The observations in a time range (30 to 80 minutes after t0: six of them), counted and paged two at a time by nextLink.
        var from = Uri.EscapeDataString(t0.AddMinutes(30).ToString("O"));
        var to = Uri.EscapeDataString(t0.AddMinutes(80).ToString("O"));
        var next = $"{observations}?$filter=phenomenonTime%20ge%20{from}%20and%20phenomenonTime%20le%20{to}&$top=2&$count=true";
        var results = new List<double>();
        while (next is not null)
        {
            var page = await Get(client, next);
            Assert.Equal(6, page["@iot.count"]!.GetValue<long>());
            results.AddRange(page["value"]!.AsArray().Select(o => o!["result"]!.GetValue<double>()));
            next = page["@iot.nextLink"]?.GetValue<string>();
            Assert.True(results.Count <= 6, "the nextLink went on past the last page");
        }
        Assert.Equal([6.0, 7, 8, 9, 10, 11], results);
        var above = await Get(client, $"{observations}?$filter=result%20gt%2012&$count=true");
        Assert.Equal(2, above["@iot.count"]!.GetValue<long>());

        // From an observation back to its datastream, and the observation itself by its id.
        var selfLink = latest["@iot.selfLink"]!.GetValue<string>();
        Assert.Equal(14.0, (await Get(client, selfLink))["result"]!.GetValue<double>());
        Assert.Equal($"{id}.wind_speed", (await Get(client, latest["Datastream@iot.navigationLink"]!.GetValue<string>()))["@iot.id"]!.GetValue<string>());
        Assert.Equal("Wind speed", (await Get(client, wind["ObservedProperty@iot.navigationLink"]!.GetValue<string>()))["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("sensorthings/v1.1/Observations?$filter=name%20eq%20'x'", HttpStatusCode.BadRequest, "not a comparison")]
    [InlineData("sensorthings/v1.1/Observations?$filter=phenomenonTime%20ge%20yesterday", HttpStatusCode.BadRequest, "ISO 8601")]
    [InlineData("sensorthings/v1.1/Observations?$top=5000", HttpStatusCode.BadRequest, "$top")]
    [InlineData("sensorthings/v1.1/Observations?$expand=Datastream", HttpStatusCode.BadRequest, "$expand is not supported")]
    [InlineData("sensorthings/v1.1/Things?$orderby=name", HttpStatusCode.BadRequest, "$orderby")]
    [InlineData("sensorthings/v1.1/Things('not-a-guid')", HttpStatusCode.NotFound, "no Things")]
    [InlineData("sensorthings/v1.1/Datastreams('00000000-0000-0000-0000-000000000001.pm10')", HttpStatusCode.NotFound, "no Datastreams")]
    [InlineData("sensorthings/v1.1/Observations('bm90IGFuIGlk')", HttpStatusCode.NotFound, "no Observations")]
    [InlineData("sensorthings/v1.1/HistoricalLocations", HttpStatusCode.NotFound, "not a resource")]
    [InlineData("sensorthings/v1.1/Things('00000000-0000-0000-0000-000000000001')/Observations", HttpStatusCode.NotFound, "no navigation property")]
    public async Task What_the_service_does_not_understand_or_have_is_a_clear_problem(string path, HttpStatusCode status, string reason)
    {
        using var client = await app.SignedInAsync(Users.Analyst);
        var response = await client.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        Assert.Contains(reason, (await response.ReadJsonAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_signed_in_staff_or_their_keys_read_it()
    {
        using var anonymous = app.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("sensorthings/v1.1/Things")).StatusCode);
        var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.EnvironmentalSensor);
        using var device = app.Client(key);
        Assert.Equal(HttpStatusCode.Forbidden, (await device.GetAsync("sensorthings/v1.1/Things")).StatusCode);
    }

    private static async Task<JsonNode> Get(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.ReadJsonAsync();
    }
}
