using System.Text;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Tests.Integration.Plates;

[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PlateReadIngestionTests(AppFixture app)
{
    private const string AllReads = "SELECT count(*) FROM plates.plate_reads";

    [Fact]
    public async Task A_batch_is_stored_once_and_a_resent_read_counts_as_a_duplicate()
    {
        var (lat, lon) = Api.Place();
        var (readerId, key) = await app.RegisterReaderAsync(lat, lon);
        var now = DateTimeOffset.UtcNow;

        var first = await app.SendReadsAsync(key,
            PlatesKit.Read("r-1", "abc-12 34", now.AddMinutes(-3)), PlatesKit.Read("r-2", "XYZ987", now.AddMinutes(-2)), PlatesKit.Read("r-3", "7K 55", now));
        Assert.Equal((3, 0), first);
        Assert.Equal(3, await app.ReadsOfAsync(readerId));

        var again = await app.SendReadsAsync(key,
            PlatesKit.Read("r-1", "ABC1234", now.AddMinutes(-3)), PlatesKit.Read("r-4", "NEW1", now), PlatesKit.Read("r-3", "7K55", now));
        Assert.Equal((1, 2), again);
        Assert.Equal(4, await app.ReadsOfAsync(readerId));

        // Stored normalised, at the reader's registered position, with the reader's own id kept.
        Assert.Equal(1, await app.CountAsync($"""
            SELECT count(*) FROM plates.plate_reads WHERE reader_id = '{readerId}' AND read_id = 'r-1' AND plate = 'ABC1234' AND region = 'DC'
              AND abs(latitude - {lat.ToString(System.Globalization.CultureInfo.InvariantCulture)}) < 1e-9
              AND abs(longitude - {lon.ToString(System.Globalization.CultureInfo.InvariantCulture)}) < 1e-9
              AND make = 'Honda' AND color = 'silver' AND confidence = 0.93 AND image_ref = 'img://r-1'
            """));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.plate_reads WHERE reader_id = '{readerId}' AND plate = '7K55'"));
    }

    [Fact]
    public async Task Repeats_are_decided_by_the_database_not_by_what_the_node_remembers()
    {
        var (lat, lon) = Api.Place();
        var (readerId, key) = await app.RegisterReaderAsync(lat, lon);
        var now = DateTimeOffset.UtcNow;
        var (r1, r2, r3) = (PlatesKit.Read("h-1", "HNT1", now.AddMinutes(-3)), PlatesKit.Read("h-2", "HNT2", now.AddMinutes(-2)),
            PlatesKit.Read("h-3", "HNT3", now.AddMinutes(-1)));
        Assert.Equal((2, 0), await app.SendReadsAsync(key, r1, r2));

        // The node remembers h-1, but the database no longer holds it (deleted meanwhile): it is stored again, not called a repeat.
        await ExecuteAsync($"DELETE FROM plates.plate_reads WHERE reader_id = '{readerId}' AND read_id = 'h-1'");
        Assert.Equal((1, 1), await app.SendReadsAsync(key, r1, r2));

        // h-3 stored without this node seeing it (as if by another node): the unique index objects, the batch is stored again with
        // every read checked, and h-3 is a duplicate, stored once.
        var captured = now.AddMinutes(-1).UtcDateTime;   // in microseconds, as the app stores it
        await ExecuteAsync($"""
            INSERT INTO plates.plate_reads (id, reader_id, read_id, plate, region, captured_at, received_at, confidence, latitude, longitude)
            VALUES (gen_random_uuid(), '{readerId}', 'h-3', 'HNT3', 'DC', '{captured.AddTicks(-(captured.Ticks % 10)):O}', now(), 0.9, 0, 0)
            """);
        Assert.Equal((1, 2), await app.SendReadsAsync(key, PlatesKit.Read("h-4", "HNT4", now), r3, r2));
        Assert.Equal(4, await app.ReadsOfAsync(readerId));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.plate_reads WHERE reader_id = '{readerId}' AND read_id = 'h-3'"));
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task The_same_read_id_from_another_reader_is_another_read()
    {
        var (lat, lon) = Api.Place();
        var (a, keyA) = await app.RegisterReaderAsync(lat, lon);
        var (b, keyB) = await app.RegisterReaderAsync(lat, lon, 150, 90);
        var read = PlatesKit.Read("shared-7", "ABC1234", DateTimeOffset.UtcNow.AddSeconds(-10));

        Assert.Equal((1, 0), await app.SendReadsAsync(keyA, read));
        Assert.Equal((1, 0), await app.SendReadsAsync(keyB, read));
        Assert.Equal((0, 1), await app.SendReadsAsync(keyB, read));

        Assert.Equal(1, await app.ReadsOfAsync(a));
        Assert.Equal(1, await app.ReadsOfAsync(b));
        // Each read sits where its own reader is.
        var (bLat, _) = GeoMath.Offset(lat, lon, 150, 90);
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.plate_reads WHERE reader_id = '{b}' AND abs(latitude - {bLat.ToString(System.Globalization.CultureInfo.InvariantCulture)}) < 1e-9"));
    }

    [Fact]
    public async Task Concurrent_copies_of_one_batch_store_each_read_once()
    {
        var (lat, lon) = Api.Place();
        var (readerId, key) = await app.RegisterReaderAsync(lat, lon);
        var now = DateTimeOffset.UtcNow;
        var batch = Enumerable.Range(0, 50).Select(i => PlatesKit.Read($"burst-{i}", $"B{i:000}X", now.AddSeconds(-i))).ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => app.SendReadsAsync(key, batch)));

        Assert.Equal(50, results.Sum(r => r.Accepted));
        Assert.All(results, r => Assert.Equal(50, r.Accepted + r.Duplicates));
        Assert.Equal(50, await app.ReadsOfAsync(readerId));
    }

    private const string Oversized = "(1001 good reads)";

    private static string GoodRead(int i, DateTimeOffset now) =>
        $$"""{"readId":"ok-{{i}}","plate":"GOOD{{i}}","region":"DC","capturedAt":"{{now.AddMinutes(-1):O}}","confidence":0.8}""";

    public static TheoryData<string, string, string> BadBatches()
    {
        var now = DateTimeOffset.UtcNow;
        string Good(int i) => GoodRead(i, now);
        string Batch(string bad, int at = 1) => $$"""{"reads":[{{string.Join(",", Enumerable.Range(0, 3).Select(i => i == at ? bad : Good(i)))}}]}""";
        return new()
        {
            { "confidence above 1", Batch($$"""{"readId":"x","plate":"ABC1","region":"DC","capturedAt":"{{now:O}}","confidence":1.5}"""), "reads[1].confidence" },
            { "confidence missing", Batch($$"""{"readId":"x","plate":"ABC1","region":"DC","capturedAt":"{{now:O}}"}""", 2), "reads[2].confidence" },
            { "plate missing", Batch($$"""{"readId":"x","region":"DC","capturedAt":"{{now:O}}","confidence":0.5}""", 0), "reads[0].plate" },
            { "plate too long", Batch($$"""{"readId":"x","plate":"ABCDE-123456","region":"DC","capturedAt":"{{now:O}}","confidence":0.5}"""), "reads[1].plate" },
            { "plate with symbols", Batch($$"""{"readId":"x","plate":"AB$1","region":"DC","capturedAt":"{{now:O}}","confidence":0.5}"""), "reads[1].plate" },
            { "region too long", Batch($$"""{"readId":"x","plate":"AB1","region":"DISTRICTX","capturedAt":"{{now:O}}","confidence":0.5}"""), "reads[1].region" },
            { "captured in the future", Batch($$"""{"readId":"x","plate":"ABC1","region":"DC","capturedAt":"{{now.AddDays(1):O}}","confidence":0.5}"""), "reads[1].capturedAt" },
            { "read id missing", Batch($$"""{"plate":"ABC1","region":"DC","capturedAt":"{{now:O}}","confidence":0.5}"""), "reads[1].readId" },
            { "read id too long", Batch($$"""{"readId":"{{new string('x', 129)}}","plate":"ABC1","region":"DC","capturedAt":"{{now:O}}","confidence":0.5}"""), "reads[1].readId" },
            { "read id twice in the batch", Batch(Good(0), 2), "reads[2].readId" },
            { "a null read", Batch("null"), "reads[1]" },
            { "empty batch", """{"reads":[]}""", "reads" },
            { "no reads at all", "{}", "reads" },
            { "oversized batch (1001 > 1000)", Oversized, "reads" },
        };
    }

    [Theory]
    [MemberData(nameof(BadBatches))]
    public async Task One_bad_read_refuses_the_whole_batch_naming_the_field_and_nothing_is_written(string why, string body, string field)
    {
        var (lat, lon) = Api.Place();
        var (readerId, key) = await app.RegisterReaderAsync(lat, lon);
        var before = await app.CountAsync(AllReads);
        using var reader = app.Client(key);

        if (body == Oversized)
            body = $$"""{"reads":[{{string.Join(",", Enumerable.Range(0, 1001).Select(i => GoodRead(i, DateTimeOffset.UtcNow)))}}]}""";

        var response = await reader.PostAsync("api/v1/plates/reads", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{why}: {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.ReadJsonAsync())["errors"]!.AsObject();
        Assert.True(errors.Select(e => e.Key).SequenceEqual([field]), $"{why}: errors {errors.ToJsonString()}");
        Assert.Equal(0, await app.ReadsOfAsync(readerId));
        Assert.Equal(before, await app.CountAsync(AllReads));
    }

    [Fact]
    public async Task Every_bad_read_of_a_batch_is_named_by_its_index()
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon);
        var now = DateTimeOffset.UtcNow;
        var response = await app.PostReadsAsync(key, PlatesKit.Read("a", "OK1", now), PlatesKit.Read("b", "", now, confidence: 2),
            PlatesKit.Read("c", "OK3", now.AddHours(1)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync())["errors"]!.AsObject();
        Assert.Equal(["reads[1].confidence", "reads[1].plate", "reads[2].capturedAt"], errors.Select(e => e.Key).Order().ToArray());
    }

    [Fact]
    public async Task A_full_batch_of_1000_is_accepted()
    {
        var (lat, lon) = Api.Place();
        var (readerId, key) = await app.RegisterReaderAsync(lat, lon);
        var now = DateTimeOffset.UtcNow;
        var batch = Enumerable.Range(0, 1000).Select(i => PlatesKit.Read($"full-{i}", $"F{i:0000}", now.AddMilliseconds(-i * 500))).ToArray();
        Assert.Equal((1000, 0), await app.SendReadsAsync(key, batch));
        Assert.Equal(1000, await app.ReadsOfAsync(readerId));
    }

    [Fact]
    public async Task Keys_of_other_devices_and_people_are_refused_and_nothing_is_written()
    {
        var (_, cameraKey) = await app.RegisterDeviceAsync(DeviceKinds.Camera);
        var (_, feedKey) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed);
        var officerKey = await app.CreateClientKeyAsync(Roles.Officer);
        var before = await app.CountAsync(AllReads);
        foreach (var (key, status) in new (string?, HttpStatusCode)[]
                 {
                     (null, HttpStatusCode.Unauthorized), ("sck_not-a-real-key-at-all-0000000000", HttpStatusCode.Unauthorized),
                     (cameraKey, HttpStatusCode.Forbidden), (feedKey, HttpStatusCode.Forbidden), (officerKey, HttpStatusCode.Forbidden),
                 })
        {
            using var client = app.Client(key);
            var response = await client.PostAsJsonAsync("api/v1/plates/reads", new { reads = new[] { PlatesKit.Read("k-1", "ABC1", DateTimeOffset.UtcNow) } });
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(before, await app.CountAsync(AllReads));
    }
}
