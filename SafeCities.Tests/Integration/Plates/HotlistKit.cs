namespace SafeCities.Tests.Integration.Plates;

/// <summary>Hotlists and hits through the public API, with plates no other test uses.</summary>
internal static class HotlistKit
{
    // No look-alike letters (O I B S Z), so a random plate is never a misread of another test's plate.
    private const string Letters = "ACDEFGHJKLMNPQRTUVWXY";
    private const string Digits = "0123456789";

    /// <summary>A random plate of letters and digits (no look-alike letters), e.g. "KTR4721".</summary>
    public static string Plate(int letters = 3, int digits = 4) =>
        new(Enumerable.Range(0, letters).Select(_ => Letters[Random.Shared.Next(Letters.Length)])
            .Concat(Enumerable.Range(0, digits).Select(_ => Digits[Random.Shared.Next(Digits.Length)])).ToArray());

    public static async Task<Guid> CreateHotlistAsync(this AppFixture app, string kind = "agency", string visibility = "all-staff", string level = "high")
    {
        using var admin = app.AdminClient();
        var response = await admin.PostAsJsonAsync("api/v1/plates/hotlists", new
        {
            name = $"Test list {Guid.NewGuid():N}"[..24], kind, alertLevel = level, reason = "Stolen vehicle", owner = "Test PD", visibility,
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!["id"]!.GetValue<Guid>();
    }

    public static async Task<JsonNode> AddEntryAsync(this AppFixture app, Guid list, string plate, string? region = null, string? reason = null)
    {
        using var admin = app.AdminClient();
        var response = await admin.PostAsJsonAsync($"api/v1/plates/hotlists/{list}/entries", new { plate, region, reason });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>A new plate, read <paramref name="ago"/> by a reader at a fresh place: the past read a listing's look-back should find.</summary>
    public static async Task<string> PlateReadAgoAsync(this AppFixture app, TimeSpan ago)
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon);
        var plate = Plate();
        await app.SendReadsAsync(key, PlatesKit.Read(Guid.NewGuid().ToString("N"), plate, DateTimeOffset.UtcNow - ago));
        return plate;
    }

    /// <summary>An entry as a listing's transaction commits it, when its node dies before the look-back at past reads.</summary>
    public static Task EntryStoredWithoutLookBackAsync(this AppFixture app, Guid list, string plate, string? region = null, string? reason = null,
        string? reference = null) =>
        app.ExecuteAsync($"""
            INSERT INTO plates.hotlist_entries (id, hotlist_id, plate, region, reason, reference, added_at)
            VALUES ('{Guid.CreateVersion7()}', '{list}', '{plate}', {Sql(region)}, {Sql(reason)}, {Sql(reference)}, now())
            """);

    private static string Sql(string? text) => text is null ? "NULL" : $"'{text.Replace("'", "''")}'";

    /// <summary>Posts an extract to a list's import endpoint as an analyst's file upload would.</summary>
    public static async Task<HttpResponseMessage> PostImportAsync(this AppFixture app, Guid list, string csv)
    {
        using var admin = app.AdminClient();
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"), "file", "extract.csv");
        return await admin.PostAsync($"api/v1/plates/hotlists/{list}/import", form);
    }

    public static async Task<JsonArray> HitsAsync(this AppFixture app, string plate)
    {
        using var admin = app.AdminClient();
        var response = await admin.GetAsync($"api/v1/plates/hits?plate={plate}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.ReadJsonAsync()).AsArray();
    }

    /// <summary>The one hit of <paramref name="plate"/>'s reads, once there is one (a read caught up by a new matcher, ADR 0062); at most 15 s.</summary>
    public static async Task<JsonNode> HitEventuallyAsync(this AppFixture app, string plate) =>
        Assert.Single(await Poll.ForAsync(() => app.HitsAsync(plate), hits => hits.Count > 0, TimeSpan.FromSeconds(15), _ => $"no hit of {plate} within 15 s"))!;

    /// <summary>
    /// The open incident of a listed vehicle once Alerts has handled <paramref name="detections"/> of its hits: a hit is stored with its
    /// read, and Alerts hears of it through Plates' outbox just after the reader's answer (ADR 0061). Polls for at most 10 s.
    /// </summary>
    public static async Task<JsonNode> OpenHitIncidentAsync(this AppFixture app, string plate, int detections = 1)
    {
        using var admin = app.AdminClient();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var open = (await (await admin.GetAsync("api/v1/incidents?status=open")).ReadJsonAsync()).AsArray()
                .Where(i => i!["title"]!.GetValue<string>().Contains(plate)).ToList();
            if (open is [var incident] && incident!["detections"]!.GetValue<int>() == detections || DateTime.UtcNow > deadline)
                return Assert.Single(open)!;
            await Task.Delay(50);
        }
    }

    /// <summary>The plates a list holds now (not withdrawn).</summary>
    public static async Task<List<string>> EntriesAsync(this AppFixture app, Guid list)
    {
        using var admin = app.AdminClient();
        var entries = (await (await admin.GetAsync($"api/v1/plates/hotlists/{list}/entries")).ReadJsonAsync()).AsArray();
        return entries.Where(e => e!["withdrawnAt"] is null).Select(e => e!["plate"]!.GetValue<string>()).ToList();
    }
}
