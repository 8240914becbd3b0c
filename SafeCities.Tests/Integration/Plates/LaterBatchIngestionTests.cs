using System.Globalization;

namespace SafeCities.Tests.Integration.Plates;

/// <summary>
/// A reader's later batches on a node: what the node remembers of its earlier ones (the reads it sent, ADR 0057) must never decide
/// where a read is stored, whether it is linked to an incident, whether it is a repeat or whether it is matched. Each test sends a
/// first batch, then changes what the node cannot know, and sends more.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class LaterBatchIngestionTests(AppFixture app)
{
    [Fact]
    public async Task A_reader_moved_since_its_last_batch_has_its_next_reads_stored_where_it_is_now()
    {
        var (lat, lon) = Api.Place();
        var (readerId, key) = await app.RegisterReaderAsync(lat, lon);
        var now = DateTimeOffset.UtcNow;
        Assert.Equal((1, 0), await app.SendReadsAsync(key, PlatesKit.Read("mv-1", "MOVE1", now.AddMinutes(-2))));

        using var admin = app.AdminClient();
        var (newLat, newLon) = (lat + 0.01, lon - 0.01);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"api/v1/devices/{readerId}",
            new { name = "moved reader", latitude = newLat, longitude = newLon, elevationMeters = 5.0 })).StatusCode);
        Assert.Equal((1, 1), await app.SendReadsAsync(key, PlatesKit.Read("mv-2", "MOVE2", now.AddMinutes(-1)), PlatesKit.Read("mv-1", "MOVE1", now.AddMinutes(-2))));
        Assert.Equal((1, 0), await app.SendReadsAsync(key, PlatesKit.Read("mv-3", "MOVE3", now)));

        Assert.Equal(1, await AtAsync(readerId, "mv-1", lat, lon));
        Assert.Equal(1, await AtAsync(readerId, "mv-2", newLat, newLon));
        Assert.Equal(1, await AtAsync(readerId, "mv-3", newLat, newLon));
        Assert.Equal(3, await app.ReadsOfAsync(readerId));
    }

    [Fact]
    public async Task A_reader_armed_after_its_last_batch_has_its_next_reads_linked_to_the_incident()
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon, 200, 0);
        var now = DateTimeOffset.UtcNow;
        Assert.Equal((1, 0), await app.SendReadsAsync(key, PlatesKit.Read("arm-0", "ARM0", now.AddMinutes(-30))));

        var incidentId = Guid.CreateVersion7();
        await app.OpenIncidentAsync(incidentId, lat, lon, now.AddMinutes(-3));
        Assert.Equal((1, 0), await app.SendReadsAsync(key, PlatesKit.Read("arm-1", "ARM1", now.AddMinutes(-2))));
        Assert.Equal((1, 0), await app.SendReadsAsync(key, PlatesKit.Read("arm-2", "ARM2", now.AddMinutes(-1))));

        Assert.Equal(["ARM1", "ARM2"], (await app.IncidentReadsAsync(incidentId)).Select(r => r.Plate).Order().ToArray());
    }

    [Fact]
    public async Task A_hit_in_a_later_batch_commits_with_its_read_including_a_resent_read_the_database_no_longer_held()
    {
        var (lat, lon) = Api.Place();
        var (readerId, key) = await app.RegisterReaderAsync(lat, lon);
        var (listed, resent) = (HotlistKit.Plate(), HotlistKit.Plate());
        var now = DateTimeOffset.UtcNow;
        var gone = PlatesKit.Read("gone-1", resent, now.AddMinutes(-3));
        Assert.Equal((2, 0), await app.SendReadsAsync(key, gone, PlatesKit.Read("kept-1", "KEPT1", now.AddMinutes(-3))));

        // This node remembers gone-1, but the database no longer holds it (deleted before its plate is listed, so the listing's look
        // back at past reads cannot find it): resent, it is new, stored and matched.
        await app.ExecuteAsync($"DELETE FROM plates.plate_reads WHERE reader_id = '{readerId}' AND read_id = 'gone-1'");
        var list = await app.CreateHotlistAsync();
        await app.AddEntryAsync(list, listed);
        await app.AddEntryAsync(list, resent);

        Assert.Equal((2, 1), await app.SendReadsAsync(key, PlatesKit.Read("hit-1", listed, now.AddMinutes(-1)), gone,
            PlatesKit.Read("kept-1", "KEPT1", now.AddMinutes(-3))));

        // Committed before the 200, each with its event in the outbox.
        foreach (var plate in new[] { listed, resent })
        {
            var hitId = Assert.Single(await app.HitsAsync(plate))!["id"]!.GetValue<Guid>();
            Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.outbox_messages WHERE id = '{hitId}' AND payload->>'readPlate' = '{plate}'"));
        }
        Assert.Equal(3, await app.ReadsOfAsync(readerId));
    }

    [Fact]
    public async Task A_resent_batch_stores_nothing_and_counts_every_read_a_duplicate()
    {
        var (lat, lon) = Api.Place();
        var (readerId, key) = await app.RegisterReaderAsync(lat, lon);
        var now = DateTimeOffset.UtcNow;
        var batch = Enumerable.Range(0, 20).Select(i => PlatesKit.Read($"again-{i}", $"AG{i:000}", now.AddSeconds(-i))).ToArray();

        Assert.Equal((20, 0), await app.SendReadsAsync(key, batch));
        Assert.Equal((0, 20), await app.SendReadsAsync(key, batch));
        Assert.Equal((1, 20), await app.SendReadsAsync(key, [.. batch, PlatesKit.Read("again-new", "AGNEW", now)]));
        Assert.Equal(21, await app.ReadsOfAsync(readerId));
    }

    [Fact]
    public async Task Concurrent_copies_of_a_later_batch_store_each_read_once()
    {
        var (lat, lon) = Api.Place();
        var (readerId, key) = await app.RegisterReaderAsync(lat, lon);
        var now = DateTimeOffset.UtcNow;
        Assert.Equal((1, 0), await app.SendReadsAsync(key, PlatesKit.Read("first", "FIRST1", now.AddMinutes(-5))));
        var batch = Enumerable.Range(0, 50).Select(i => PlatesKit.Read($"burst-{i}", $"C{i:000}X", now.AddSeconds(-i))).ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => app.SendReadsAsync(key, batch)));

        Assert.Equal(50, results.Sum(r => r.Accepted));
        Assert.All(results, r => Assert.Equal(50, r.Accepted + r.Duplicates));
        Assert.Equal(51, await app.ReadsOfAsync(readerId));
    }

    private Task<long> AtAsync(Guid readerId, string readId, double lat, double lon) => app.CountAsync($"""
        SELECT count(*) FROM plates.plate_reads WHERE reader_id = '{readerId}' AND read_id = '{readId}'
          AND abs(latitude - {lat.ToString(CultureInfo.InvariantCulture)}) < 1e-9 AND abs(longitude - {lon.ToString(CultureInfo.InvariantCulture)}) < 1e-9
        """);
}
