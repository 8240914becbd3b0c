using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Features;

namespace SafeCities.Tests.Integration.Plates;

[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PlateReadPartitionTests(AppFixture app)
{
    private static string Partition(DateOnly day) => PlateReadPartitions.NameOf(day);

    private Task<long> PartitionExistsAsync(DateOnly day) => app.CountAsync($"""
        SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'plates.plate_reads'::regclass AND c.relname = '{Partition(day)}' AND c.relispartition
        """);

    [Fact]
    public async Task The_partition_job_makes_today_and_the_days_ahead()
    {
        await app.InScopeAsync(sp => sp.GetRequiredService<MaintainPlateReadPartitionsJob>().RunAsync(default));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        foreach (var ahead in new[] { 0, 1, 3, 7 })
            Assert.Equal(1, await PartitionExistsAsync(today.AddDays(ahead)));
        // Run again: nothing new, nothing fails.
        Assert.Equal(0, await app.InScopeAsync(sp => sp.GetRequiredService<MaintainPlateReadPartitionsJob>().RunAsync(default)));
        // The parent is range-partitioned on captured_at.
        Assert.Equal(1, await app.CountAsync("""
            SELECT count(*) FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid
            WHERE c.relname = 'plate_reads' AND p.partstrat = 'r'
            """));
    }

    [Fact]
    public async Task A_read_of_a_day_without_a_partition_gets_one_on_demand_and_lands_in_it()
    {
        var (lat, lon) = Api.Place();
        var (readerId, key) = await app.RegisterReaderAsync(lat, lon);
        var capturedAt = DateTimeOffset.UtcNow.AddDays(-3);
        var day = DateOnly.FromDateTime(capturedAt.UtcDateTime);

        Assert.Equal((2, 0), await app.SendReadsAsync(key, PlatesKit.Read("back-1", "BACK1", capturedAt), PlatesKit.Read("now-1", "NOW1", DateTimeOffset.UtcNow)));

        Assert.Equal(1, await PartitionExistsAsync(day));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM plates.{Partition(day)} WHERE reader_id = '{readerId}' AND read_id = 'back-1'"));
        Assert.Equal(1, await app.CountAsync($"""
            SELECT count(*) FROM plates.plate_reads WHERE reader_id = '{readerId}' AND read_id = 'now-1'
              AND tableoid = 'plates.{Partition(DateOnly.FromDateTime(DateTime.UtcNow))}'::regclass
            """));
    }
}
