namespace SafeCities.Tests.Integration.Plates;

/// <summary>Batches written with binary COPY into the day-partitioned table: counts, de-duplication, optional fields.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PlateReadCopyIngestionTests(AppFixture app)
{
    [Fact]
    public async Task A_large_batch_overlapping_an_earlier_one_stores_only_the_new_reads_across_days()
    {
        var (lat, lon) = Api.Place();
        var (readerId, key) = await app.RegisterReaderAsync(lat, lon);
        var (otherId, otherKey) = await app.RegisterReaderAsync(lat, lon, 200, 45);
        var now = DateTimeOffset.UtcNow;
        // 1000 reads spread over the last two days (two or three partitions); without make/model/colour for odd ones.
        var batch = Enumerable.Range(0, 1000).Select(i => i % 2 == 0
            ? PlatesKit.Read($"big-{i}", $"BG{i:0000}", now.AddMinutes(-i * 2.5))
            : PlatesKit.Read($"big-{i}", $"BG{i:0000}", now.AddMinutes(-i * 2.5), make: null, model: null, color: null)).ToArray();

        Assert.Equal((400, 0), await app.SendReadsAsync(key, batch[..400]));
        Assert.Equal((600, 400), await app.SendReadsAsync(key, batch));
        Assert.Equal((0, 1000), await app.SendReadsAsync(key, batch));
        Assert.Equal(1000, await app.ReadsOfAsync(readerId));
        Assert.Equal(500, await app.CountAsync($"SELECT count(*) FROM plates.plate_reads WHERE reader_id = '{readerId}' AND make IS NULL AND model IS NULL AND color IS NULL"));
        Assert.True(await app.CountAsync($"SELECT count(DISTINCT tableoid) FROM plates.plate_reads WHERE reader_id = '{readerId}'") >= 2);

        // The same read ids from another reader are other reads.
        Assert.Equal((1000, 0), await app.SendReadsAsync(otherKey, batch));
        Assert.Equal(1000, await app.ReadsOfAsync(otherId));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.plate_reads WHERE reader_id = '{otherId}' AND read_id = 'big-7' AND plate = 'BG0007'"));
    }

    [Fact]
    public async Task A_read_older_than_retention_is_refused_and_nothing_is_written()
    {
        var (lat, lon) = Api.Place();
        var (readerId, key) = await app.RegisterReaderAsync(lat, lon);
        var response = await app.PostReadsAsync(key, PlatesKit.Read("fresh", "FRESH1", DateTimeOffset.UtcNow),
            PlatesKit.Read("ancient", "OLD1", DateTimeOffset.UtcNow.AddDays(-31)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync())["errors"]!.AsObject();
        Assert.Equal(["reads[1].capturedAt"], errors.Select(e => e.Key).ToArray());
        Assert.Equal(0, await app.ReadsOfAsync(readerId));
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_refused_with_413_and_nothing_is_written()
    {
        var (lat, lon) = Api.Place();
        var (readerId, key) = await app.RegisterReaderAsync(lat, lon);
        using var reader = app.Client(key);
        reader.DefaultRequestHeaders.ExpectContinue = true;   // the server answers before the body is sent
        var read = $$"""{"readId":"x-{0}","plate":"ABC1","region":"DC","capturedAt":"{{DateTimeOffset.UtcNow.AddMinutes(-1):O}}","confidence":0.5,"imageRef":"{{new string('i', 500)}}"}""";
        var body = $$"""{"reads":[{{string.Join(",", Enumerable.Range(0, 8000).Select(i => read.Replace("{0}", i.ToString())))}}]}""";
        Assert.True(body.Length > 4 * 1024 * 1024);

        var response = await reader.PostAsync("api/v1/plates/reads", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await app.ReadsOfAsync(readerId));
    }
}
