namespace SafeCities.Tests.Integration.Plates;

/// <summary>
/// The Hotlists page's import: chunks validated and staged as they arrive (the page's bar follows the server), repeats found across
/// chunks, a retried chunk staged once, and the list replaced only at commit, in one step.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class HotlistStagedImportTests(AppFixture app)
{
    [Fact]
    public async Task Chunks_are_checked_as_they_arrive_and_the_list_is_replaced_only_at_commit()
    {
        var (lat, lon) = Api.Place();
        var (_, readerKey) = await app.RegisterReaderAsync(lat, lon);
        var list = await app.CreateHotlistAsync(kind: "ncic-stolen");
        var (old, a, b, c) = (HotlistKit.Plate(), HotlistKit.Plate(), HotlistKit.Plate(), HotlistKit.Plate());
        await app.AddEntryAsync(list, old);
        using var analyst = app.Client(await app.CreateClientKeyAsync(Roles.Analyst));

        var started = await analyst.PostAsync($"api/v1/plates/hotlists/{list}/imports", null);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var import = (await started.ReadJsonAsync())["importId"]!.GetValue<Guid>();
        const string header = "NIC,LIC,LIS,MKE";

        var first = await StageAsync(analyst, import, header, 2, [$"V1,{a},DC,SV", $"V2,{b},,SV", "V3,NOT A PLATE!,DC,SV"]);
        Assert.Equal((2, 0), (first["accepted"]!.GetValue<int>(), first["blank"]!.GetValue<int>()));
        Assert.Equal([(4, "'NOT A PLATE!' is not a plate (1–10 letters or digits, '*' and '?' allowed)")], Rejected(first));

        string[] second = [$"V4,{a},DC,SV", $"V5,{c},DC,SV", ""];
        var staged = await StageAsync(analyst, import, header, 5, second);
        Assert.Equal((1, 1), (staged["accepted"]!.GetValue<int>(), staged["blank"]!.GetValue<int>()));
        Assert.Equal([(5, "repeats line 2")], Rejected(staged));
        // A retry of the same chunk (the answer was lost): the first outcome again, nothing staged twice.
        var retried = await StageAsync(analyst, import, header, 5, second);
        Assert.Equal(staged.ToJsonString(), retried.ToJsonString());
        Assert.Equal(5, await app.CountAsync($"SELECT count(*) FROM plates.hotlist_import_lines WHERE import_id = '{import}'"));

        // Until the commit the list is what it was: the old plate still matches, the new ones do not.
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.hotlist_entries WHERE hotlist_id = '{list}'"));
        var now = DateTimeOffset.UtcNow.AddSeconds(-5);
        await app.SendReadsAsync(readerKey, PlatesKit.Read("o1", old, now), PlatesKit.Read("a1", a, now));
        Assert.Single(await app.HitsAsync(old));
        Assert.Empty(await app.HitsAsync(a));

        var commit = await analyst.PostAsync($"api/v1/plates/hotlists/imports/{import}/commit", null);
        var result = await commit.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.OK, commit.StatusCode);
        Assert.Equal(5, result["lines"]!.GetValue<int>());
        Assert.Equal(3, result["imported"]!.GetValue<int>());
        Assert.Equal(1, result["replaced"]!.GetValue<int>());
        Assert.Equal([4, 5], result["rejected"]!.AsArray().Select(r => r!["line"]!.GetValue<int>()));
        Assert.Equal(1, result["retroactiveHits"]!.GetValue<int>());   // a's read of a moment ago, found by the look-back
        Assert.Equal(new[] { a, b, c }.Order(), (await app.EntriesAsync(list)).Order());
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM plates.hotlist_import_lines WHERE import_id = '{import}'"));
        Assert.True(await app.CountAsync($"""
            SELECT count(*) FROM audit.entries WHERE action = 'hotlist-import' AND details->>'imported' = '3' AND details->>'replaced' = '1'
              AND details->>'rejected' = '2' AND at > now() - interval '1 minute'
            """) >= 1);

        // Closed: neither more lines nor a second commit.
        Assert.Equal(HttpStatusCode.Conflict, (await analyst.PostAsync($"api/v1/plates/hotlists/imports/{import}/commit", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await analyst.PostAsJsonAsync($"api/v1/plates/hotlists/imports/{import}/lines",
            new { header, firstLine = 8, lines = new[] { $"V9,{HotlistKit.Plate()},DC,SV" } })).StatusCode);
    }

    [Fact]
    public async Task Bad_chunks_are_refused_whole_and_an_import_is_only_its_starters()
    {
        var list = await app.CreateHotlistAsync();
        using var analyst = app.Client(await app.CreateClientKeyAsync(Roles.Analyst));
        var import = (await (await analyst.PostAsync($"api/v1/plates/hotlists/{list}/imports", null)).ReadJsonAsync())["importId"]!.GetValue<Guid>();
        var plate = HotlistKit.Plate();

        async Task<HttpStatusCode> Send(HttpClient client, object body) =>
            (await client.PostAsJsonAsync($"api/v1/plates/hotlists/imports/{import}/lines", body)).StatusCode;
        Assert.Equal(HttpStatusCode.BadRequest, await Send(analyst, new { header = "NIC,MKE", firstLine = 2, lines = new[] { "V1,SV" } }));
        Assert.Equal(HttpStatusCode.BadRequest, await Send(analyst, new { header = "LIC", firstLine = 1, lines = new[] { plate } }));
        Assert.Equal(HttpStatusCode.BadRequest, await Send(analyst, new { header = "LIC", firstLine = 2, lines = Array.Empty<string>() }));
        Assert.Equal(HttpStatusCode.BadRequest, await Send(analyst, new { header = "LIC", firstLine = 2, lines = Enumerable.Repeat(plate, 1001) }));
        using var colleague = app.Client(await app.CreateClientKeyAsync(Roles.Analyst));
        Assert.Equal(HttpStatusCode.NotFound, await Send(colleague, new { header = "LIC", firstLine = 2, lines = new[] { plate } }));
        Assert.Equal(HttpStatusCode.NotFound, (await colleague.PostAsync($"api/v1/plates/hotlists/imports/{import}/commit", null)).StatusCode);
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM plates.hotlist_import_lines WHERE import_id = '{import}'"));
        Assert.Equal(HttpStatusCode.NotFound, (await analyst.PostAsync($"api/v1/plates/hotlists/{Guid.NewGuid()}/imports", null)).StatusCode);
        using var officer = app.Client(await app.CreateClientKeyAsync(Roles.Officer));
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.PostAsync($"api/v1/plates/hotlists/{list}/imports", null)).StatusCode);

        // Nothing good at all: the commit changes nothing.
        Assert.Equal(HttpStatusCode.OK, await Send(analyst, new { header = "LIC", firstLine = 2, lines = new[] { "!!" } }));
        var empty = await (await analyst.PostAsync($"api/v1/plates/hotlists/imports/{import}/commit", null)).ReadJsonAsync();
        Assert.Equal(0, empty["imported"]!.GetValue<int>());
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM plates.hotlist_entries WHERE hotlist_id = '{list}'"));
    }

    private static async Task<JsonNode> StageAsync(HttpClient client, Guid import, string header, int firstLine, string[] lines)
    {
        var response = await client.PostAsJsonAsync($"api/v1/plates/hotlists/imports/{import}/lines", new { header, firstLine, lines });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    private static List<(int, string)> Rejected(JsonNode chunk) =>
        chunk["rejected"]!.AsArray().Select(r => (r!["line"]!.GetValue<int>(), r["reason"]!.GetValue<string>())).ToList();
}
