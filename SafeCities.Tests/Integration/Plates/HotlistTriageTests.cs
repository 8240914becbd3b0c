namespace SafeCities.Tests.Integration.Plates;

/// <summary>
/// The board triages hotlist hits: one incident per listed vehicle while it is open (further reads join it and move its marker), and hits
/// found in past reads when a plate is listed are a low-priority list, not incidents.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class HotlistTriageTests(AppFixture app)
{
    [Fact]
    public async Task Repeated_reads_of_one_listed_vehicle_are_one_incident_whose_marker_follows_the_newest_read()
    {
        var (lat, lon) = Api.Place();
        var (_, first) = await app.RegisterReaderAsync(lat, lon);
        var (_, second) = await app.RegisterReaderAsync(lat, lon, metersAway: 900, bearing: 90);
        var list = await app.CreateHotlistAsync();
        var plate = HotlistKit.Plate();
        await app.AddEntryAsync(list, plate, reason: "stolen vehicle");
        var now = DateTimeOffset.UtcNow;

        await app.SendReadsAsync(first, PlatesKit.Read(Guid.NewGuid().ToString("N"), plate, now.AddSeconds(-30)));
        await app.SendReadsAsync(first, PlatesKit.Read(Guid.NewGuid().ToString("N"), plate, now.AddSeconds(-20)));
        await app.SendReadsAsync(second, PlatesKit.Read(Guid.NewGuid().ToString("N"), plate, now.AddSeconds(-10)));

        Assert.Equal(3, (await app.HitsAsync(plate)).Count);   // every read is a hit (evidence) ...
        using var admin = app.AdminClient();
        var incident = await app.OpenHitIncidentAsync(plate, detections: 3);   // ... but one incident on the board
        var id = incident["id"]!.GetValue<Guid>();
        Assert.Equal(3, incident["detections"]!.GetValue<int>());
        // The marker is at the second reader (900 m east), where the vehicle was read last.
        Assert.True(incident["longitude"]!.GetValue<double>() > lon + 0.005, $"marker stayed at {incident["longitude"]}");
        Assert.Equal(now.AddSeconds(-10).ToUnixTimeSeconds(), DateTimeOffset.Parse(incident["lastActivityAt"]!.GetValue<string>()).ToUnixTimeSeconds());
        var detail = await (await admin.GetAsync($"api/v1/incidents/{id}")).ReadJsonAsync();
        var reads = detail["timeline"]!.AsArray().Where(t => t!["kind"]!.GetValue<string>() == "HotlistHit").ToList();
        Assert.Equal(3, reads.Count);
        Assert.Equal(2, reads.Count(t => t!["text"]!.GetValue<string>().StartsWith("Read again", StringComparison.Ordinal)));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM alerts.incidents WHERE title LIKE '%{plate}%'"));

        // Once closed, the next read of the vehicle is a new incident.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"api/v1/incidents/{id}/close", new { outcome = "not-located" })).StatusCode);
        await app.SendReadsAsync(first, PlatesKit.Read(Guid.NewGuid().ToString("N"), plate, DateTimeOffset.UtcNow));
        var again = await app.OpenHitIncidentAsync(plate);
        Assert.NotEqual(id, again["id"]!.GetValue<Guid>());
        Assert.Equal(1, again["detections"]!.GetValue<int>());
        // The closed one cannot be reopened while the newer one for the same vehicle is open (one incident per listed vehicle).
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync($"api/v1/incidents/{id}/reopen", new { })).StatusCode);
    }

    [Fact]
    public async Task Hits_found_in_past_reads_open_no_incident_and_are_listed_as_past_reads()
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon);
        var (a, b) = (HotlistKit.Plate(), HotlistKit.Plate());
        var now = DateTimeOffset.UtcNow;
        await app.SendReadsAsync(key, PlatesKit.Read("a1", a, now.AddDays(-2)), PlatesKit.Read("a2", a, now.AddDays(-1)), PlatesKit.Read("b1", b, now.AddHours(-5)));
        var list = await app.CreateHotlistAsync();

        Assert.Equal(2, (await app.AddEntryAsync(list, a, reason: "look-back"))["retroactiveHits"]!.GetValue<int>());
        Assert.Equal(1, (await app.AddEntryAsync(list, b, reason: "look-back"))["retroactiveHits"]!.GetValue<int>());

        using var admin = app.AdminClient();
        var past = (await (await admin.GetAsync("api/v1/plates/hits?retroactive=true&limit=1000")).ReadJsonAsync()).AsArray();
        Assert.Equal(3, past.Count(h => h!["readPlate"]!.GetValue<string>() is var p && (p == a || p == b)));
        Assert.All(past, h => Assert.True(h!["retroactive"]!.GetValue<bool>()));
        var live = (await (await admin.GetAsync($"api/v1/plates/hits?retroactive=false&plate={a}")).ReadJsonAsync()).AsArray();
        Assert.Empty(live);
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM alerts.incidents WHERE title LIKE '%{a}%' OR title LIKE '%{b}%'"));

        // The hits page lists them under "Past reads".
        var page = await admin.GetStringAsync($"Plates/Hits?pastReads=true&plate={a}");
        Assert.Contains("Past-read hits", page);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(page, "data-hit-id=").Count);
    }
}
