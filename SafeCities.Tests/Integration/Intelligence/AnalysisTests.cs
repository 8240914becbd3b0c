using System.Text.Json;
using System.Globalization;
using System.Threading.Channels;
using SafeCities.Modules.Intelligence.Analysis.Trends;
using SafeCities.Tests.Integration.Plates;
using SafeCities.Tests.Integration.Platform;
using static SafeCities.Tests.Integration.Intelligence.IntelApi;

namespace SafeCities.Tests.Integration.Intelligence;

/// <summary>
/// The analyses through the real app: detected gunfire joined with calls pushed by a police agency, the near-repeat test on calls, the
/// hourly spike job raising a command notice on the board, and bad parameters answered 400 with each problem named.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AnalysisTests(AppFixture app)
{
    private static string Iso(DateTimeOffset t) => Uri.EscapeDataString(t.ToString("O", CultureInfo.InvariantCulture));

    private static (double Lat, double Lon) North(double lat, double lon, double meters) => (lat + meters / 111_320.0, lon);

    private static object Call(string sourceId, string type, DateTimeOffset at, double lat, double lon) =>
        new { kind = "call-for-service", sourceId, startedAt = at.ToString("O", CultureInfo.InvariantCulture), callType = type, latitude = lat, longitude = lon };

    [Fact]
    public async Task Detected_gunfire_with_a_nearby_call_counts_as_reported_and_without_one_as_unreported_also_in_the_csv()
    {
        var shotAt = DateTimeOffset.UtcNow.AddMinutes(-40);
        var (latA, lonA) = Api.Place();
        var (latB, lonB) = Api.Place();
        var reported = await app.ReportGunshotAsync(latA, lonA, shotAt);
        var unreported = await app.ReportGunshotAsync(latB, lonB, shotAt);
        var (_, feed) = await app.RegisterAgencyAsync("police");
        var (callLat, callLon) = North(latA, lonA, 150);
        var (farLat, farLon) = North(latB, lonB, 900);
        await app.PushOkAsync(feed, Call(Unique("cad"), "Shots Fired", shotAt.AddMinutes(4), callLat, callLon),
            Call(Unique("cad"), "shots fired", shotAt.AddMinutes(4), farLat, farLon),          // too far from B
            Call(Unique("cad"), "noise complaint", shotAt.AddMinutes(2), latB, lonB));      // not a gunfire type

        using var admin = app.AdminClient();
        // the period with the city's offset, as the pages send it (the database takes UTC only)
        var range = $"from={Iso(shotAt.AddMinutes(-1).ToOffset(TimeSpan.FromHours(-5)))}&to={Iso(shotAt.AddMinutes(1).ToOffset(TimeSpan.FromHours(-4)))}";
        var response = await admin.GetAsync($"api/v1/intelligence/analysis/gunfire-reporting?{range}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        var detections = body["detections"]!.AsArray();
        Assert.True(detections.Single(d => d!["id"]!.GetValue<Guid>() == reported)!["called"]!.GetValue<bool>());
        Assert.False(detections.Single(d => d!["id"]!.GetValue<Guid>() == unreported)!["called"]!.GetValue<bool>());
        Assert.Contains("shots fired", body["callTypes"]!.AsArray().Select(t => t!.GetValue<string>()));

        // a tighter distance makes A unreported too
        var tight = await (await admin.GetAsync($"api/v1/intelligence/analysis/gunfire-reporting?{range}&maxMeters=100")).ReadJsonAsync();
        Assert.False(tight["detections"]!.AsArray().Single(d => d!["id"]!.GetValue<Guid>() == reported)!["called"]!.GetValue<bool>());

        var csv = await admin.GetAsync($"api/v1/intelligence/analysis/gunfire-reporting.csv?{range}");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("district,hour_America_New_York,detected,without_call,unreported_share", lines[0]);
        Assert.Equal(body["detected"]!.GetValue<int>(), lines.Skip(1).Sum(l => int.Parse(l.Split(',')[2], CultureInfo.InvariantCulture)));

        using var judge = app.Client(await app.CreateClientKeyAsync(Roles.Judge));
        Assert.Equal(HttpStatusCode.Forbidden, (await judge.GetAsync($"api/v1/intelligence/analysis/gunfire-reporting?{range}")).StatusCode);
    }

    [Fact]
    public async Task A_cad_export_back_loaded_through_the_records_csv_import_answers_detected_gunfire()
    {
        var shotAt = DateTimeOffset.UtcNow.AddMinutes(-50);
        var (lat, lon) = Api.Place();
        var shot = await app.ReportGunshotAsync(lat, lon, shotAt);
        var (agency, _) = await app.RegisterAgencyAsync("police");
        var (callLat, callLon) = North(lat, lon, 80);
        string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        using var admin = app.AdminClient();
        var import = await admin.PostAsJsonAsync($"api/v1/intelligence/agencies/{agency}/records-csv", new
        {
            header = "kind,sourceId,startedAt,callType,latitude,longitude",
            firstLine = 2,
            lines = new[]
            {
                $"call-for-service,{Unique("cad")},{shotAt.AddMinutes(6).ToString("O", CultureInfo.InvariantCulture)},Sounds of gunshots,{F(callLat)},{F(callLon)}",
                $"call-for-service,{Unique("cad")},not-a-date,shots fired,{F(callLat)},{F(callLon)}",
            },
        });
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        var imported = await import.ReadJsonAsync();
        Assert.Equal(1, imported["accepted"]!.GetValue<int>());
        Assert.Equal(3, imported["rejected"]!.AsArray().Single()!["line"]!.GetValue<int>());

        var body = await (await admin.GetAsync($"api/v1/intelligence/analysis/gunfire-reporting?from={Iso(shotAt.AddMinutes(-1))}&to={Iso(shotAt.AddMinutes(1))}")).ReadJsonAsync();
        Assert.True(body["detections"]!.AsArray().Single(d => d!["id"]!.GetValue<Guid>() == shot)!["called"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Near_repeat_runs_on_a_call_type_and_counts_every_pair_once()
    {
        var type = Unique("burglary").ToLowerInvariant();
        var (_, feed) = await app.RegisterAgencyAsync("police");
        var (lat, lon) = Api.Place();
        var start = DateTimeOffset.UtcNow.AddDays(-20);
        // 4 at one address over 3 days (6 pairs at the same location, within 7 days), 6 scattered km apart over 20 days
        var calls = Enumerable.Range(0, 4).Select(i => Call(Unique("c"), type, start.AddDays(i), lat, lon))
            .Concat(Enumerable.Range(0, 6).Select(i => Call(Unique("c"), type, start.AddDays(3 * i + 1), lat + 0.03 * (i + 1), lon))).ToArray();
        await app.PushOkAsync(feed, calls);

        using var admin = app.AdminClient();
        var response = await admin.GetAsync($"api/v1/intelligence/analysis/near-repeat?type={Uri.EscapeDataString("call:" + type)}&from={Iso(start.AddDays(-1))}&to={Iso(DateTimeOffset.UtcNow)}&permutations=99&seed=1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(10, body["events"]!.GetValue<int>());
        Assert.Equal(45, body["pairs"]!.GetValue<long>());
        var cells = body["cells"]!.AsArray();
        Assert.Equal(45, cells.SelectMany(r => r!.AsArray()).Sum(c => c!["observed"]!.GetValue<int>()));
        Assert.Equal(6, cells[0]![0]!["observed"]!.GetValue<int>());
        Assert.Equal("Same location", body["distanceBands"]![0]!.GetValue<string>());

        // another area: none of these events, an empty table rather than an error
        var elsewhere = await (await admin.GetAsync($"api/v1/intelligence/analysis/near-repeat?type={Uri.EscapeDataString("call:" + type)}&from={Iso(start.AddDays(-1))}&to={Iso(DateTimeOffset.UtcNow)}&district=no-such-district")).ReadJsonAsync();
        Assert.Equal((0, 0L), (elsewhere["events"]!.GetValue<int>(), elsewhere["pairs"]!.GetValue<long>()));
    }

    [Fact]
    public async Task Bad_parameters_are_refused_with_each_problem_named()
    {
        using var admin = app.AdminClient();
        var now = DateTimeOffset.UtcNow;
        var bad = await admin.GetAsync($"api/v1/intelligence/analysis/gunfire-reporting?from={Iso(now)}&to={Iso(now.AddDays(-1))}&maxMeters=0&minutesAfter=0");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.ReadJsonAsync())["errors"]!.AsObject();
        foreach (var field in new[] { "To", "MaxMeters", "MinutesAfter" })
            Assert.Contains(errors, e => e.Key.Equals(field, StringComparison.OrdinalIgnoreCase));

        var nr = await admin.GetAsync($"api/v1/intelligence/analysis/near-repeat?type=gunshot&from={Iso(now.AddDays(-1))}&to={Iso(now)}&permutations=5000&spatialBands=0&south=1");
        Assert.Equal(HttpStatusCode.BadRequest, nr.StatusCode);
        var nrErrors = (await nr.ReadJsonAsync())["errors"]!.AsObject();
        foreach (var field in new[] { "Permutations", "SpatialBands", "South" })
            Assert.Contains(nrErrors, e => e.Key.Equals(field, StringComparison.OrdinalIgnoreCase));

        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("api/v1/intelligence/analysis/gunfire-reporting?from=yesterday&to=now")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("api/v1/intelligence/analysis/trends?weeks=500")).StatusCode);
    }

    [Fact]
    public async Task The_spike_job_tells_command_staff_once_when_a_type_is_unusually_frequent()
    {
        var type = Unique("arson").ToLowerInvariant();
        var (_, feed) = await app.RegisterAgencyAsync("police");
        var (lat, lon) = Api.Place();
        // The place lies in a police district of its own (the city's districts are one set: imported here, as every test that needs them).
        var code = $"SP{Guid.NewGuid():N}"[..8];
        await app.ImportDistrictsAsync(DistrictKit.Square(code, "Spike Hill District", (lat, lon), 0.01));
        var now = DateTimeOffset.UtcNow;
        await app.PushOkAsync(feed, Enumerable.Range(0, 8).Select(i => Call(Unique("s"), type, now.AddMinutes(-30 - 5 * i), lat, lon)).ToArray());

        var commander = await app.CreateUserAsync(Roles.Commander);
        var notices = Channel.CreateUnbounded<JsonElement>();
        await using var board = await app.BoardAsync(commander, notices);
        await app.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<DetectCrimeSpikesJob>().RunAsync(CancellationToken.None);
            return true;
        });
        var notice = await notices.NextAsync(n => n.GetProperty("kind").GetString() == "CrimeSpike" && n.GetProperty("title").GetString()!.Contains(type));
        Assert.StartsWith("/Intelligence/Trends?type=", notice.GetProperty("link").GetString());

        using var staff = app.AdminClient();
        var trends = await (await staff.GetAsync($"api/v1/intelligence/analysis/trends?type={Uri.EscapeDataString("call:" + type)}")).ReadJsonAsync();
        var spike = trends["spikes"]!.AsArray().Single();
        Assert.Equal(8, spike!["count"]!.GetValue<int>());
        Assert.Equal(8, trends["events"]!.GetValue<int>());
        // The notice and the trends page name the district as people call it; the analysis groups by its code (the page's filter value).
        Assert.Equal(code, spike["district"]!.GetValue<string>());
        // And the type as the type list names it, not by its filter value.
        Assert.Equal($"Unusual: 8 in Spike Hill District (Calls for service: {type})", notice.GetProperty("title").GetString());
        Assert.StartsWith($"Calls for service: {type} — 8 in Spike Hill District in the last 24 hours; usual is", notice.GetProperty("text").GetString());
        using var web = await app.SignedInAsync(commander);
        var page = await web.GetStringAsync($"/Intelligence/Trends?type={Uri.EscapeDataString("call:" + type)}");
        Assert.Contains($"<option value=\"{code}\">Spike Hill District</option>", page);
        Assert.Contains("<li><strong>Spike Hill District: 8 × Calls for service: " + type + "</strong>", page);
    }
}
