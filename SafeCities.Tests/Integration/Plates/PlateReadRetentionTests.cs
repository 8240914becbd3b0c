using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Features;

namespace SafeCities.Tests.Integration.Plates;

[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PlateReadRetentionTests(AppFixture app)
{
    /// <summary>Reads of a past day written straight into its partition (the API refuses reads older than retention).</summary>
    private async Task<Guid[]> OldReadsAsync(DateOnly day, Guid readerId, int count)
    {
        await app.InScopeAsync(sp => sp.GetRequiredService<PlateReadPartitions>().EnsureAsync([day], default));
        var ids = Enumerable.Range(0, count).Select(_ => Guid.CreateVersion7()).ToArray();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
            await app.CountAsync($"""
                INSERT INTO plates.plate_reads (id, reader_id, read_id, plate, region, captured_at, received_at, confidence, latitude, longitude)
                VALUES ('{id}', '{readerId}', 'old-{i}', 'OLD{i}XYZ', 'DC', '{day:yyyy-MM-dd} 12:0{i}:00+00', now(), 0.9, 38.9, -77.0)
                RETURNING 0
                """);
        return ids;
    }

    [Fact]
    public async Task Expired_days_are_purged_evidence_is_kept_and_each_day_is_recorded_with_counts_only()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var (withEvidence, withoutEvidence) = (today.AddDays(-45), today.AddDays(-44));
        var readerId = Guid.NewGuid();
        var kept = await OldReadsAsync(withEvidence, readerId, 3);
        await OldReadsAsync(withoutEvidence, readerId, 2);
        var incidentId = Guid.NewGuid();
        await app.CountAsync($"""
            INSERT INTO plates.incident_reads (incident_id, plate_read_id, pass_id, linked_at)
            VALUES ('{incidentId}', '{kept[1]}', '{Guid.NewGuid()}', now()) RETURNING 0
            """);
        // A read of today, through the API, is not touched.
        var (lat, lon) = Api.Place();
        var (recentReader, key) = await app.RegisterReaderAsync(lat, lon);
        Assert.Equal((1, 0), await app.SendReadsAsync(key, PlatesKit.Read("today-1", "TODAY1", DateTimeOffset.UtcNow.AddMinutes(-1))));

        var purged = await app.InScopeAsync(sp => sp.GetRequiredService<PlateReadRetentionJob>().PurgeAsync(default));

        Assert.Contains(purged, p => p.Day == withEvidence && p is { Deleted: 2, KeptAsEvidence: 1, Dropped: false });
        Assert.Contains(purged, p => p.Day == withoutEvidence && p is { Deleted: 2, KeptAsEvidence: 0, Dropped: true });
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.plate_reads WHERE reader_id = '{readerId}'"));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.plate_reads WHERE id = '{kept[1]}' AND plate = 'OLD1XYZ'"));
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM pg_class WHERE relname = '{PlateReadPartitions.NameOf(withoutEvidence)}'"));
        Assert.Equal(1, await app.ReadsOfAsync(recentReader));

        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.retention_runs WHERE data_class = 'reads' AND day = '{withEvidence:yyyy-MM-dd}' AND deleted = 2 AND kept_as_evidence = 1"));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.retention_runs WHERE data_class = 'reads' AND day = '{withoutEvidence:yyyy-MM-dd}' AND deleted = 2 AND kept_as_evidence = 0"));
        // Counts, never plates: the record has no other columns.
        Assert.Equal(0, await app.CountAsync("""
            SELECT count(*) FROM information_schema.columns WHERE table_schema = 'plates' AND table_name = 'retention_runs'
              AND column_name NOT IN ('id', 'run_at', 'data_class', 'day', 'deleted', 'kept_as_evidence')
            """));

        // The next run finds only evidence on that day: nothing deleted, nothing recorded again.
        var again = await app.InScopeAsync(sp => sp.GetRequiredService<PlateReadRetentionJob>().PurgeAsync(default));
        Assert.DoesNotContain(again, p => p.Day == withEvidence || p.Day == withoutEvidence);
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.retention_runs WHERE day = '{withEvidence:yyyy-MM-dd}'"));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.plate_reads WHERE id = '{kept[1]}'"));

        // Released (link removed): the next run deletes it and drops the day.
        await app.CountAsync($"DELETE FROM plates.incident_reads WHERE incident_id = '{incidentId}' RETURNING 0");
        var released = await app.InScopeAsync(sp => sp.GetRequiredService<PlateReadRetentionJob>().PurgeAsync(default));
        Assert.Contains(released, p => p.Day == withEvidence && p is { Deleted: 1, KeptAsEvidence: 0, Dropped: true });
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM plates.plate_reads WHERE reader_id = '{readerId}'"));
    }
}
