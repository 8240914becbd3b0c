using Microsoft.Extensions.Options;
using SafeCities.Modules.Sensors;
using SafeCities.Modules.Sensors.Environment;

namespace SafeCities.Tests.Integration.Sensors;

/// <summary>
/// Environmental readings past retention go with their day's partition, and the drop is recorded in the deletion log (the audit chain) with
/// the day's count, in the same transaction (ADR 0045).
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ReadingRetentionTests(AppFixture app)
{
    [Fact]
    public async Task A_day_past_retention_is_dropped_and_its_count_recorded_in_the_audit_chain()
    {
        var days = app.Services.GetRequiredService<IOptions<SensorsOptions>>().Value.ReadingRetentionDays;
        var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-days - 3);
        var partition = await app.InScopeAsync(async sp =>
        {
            var partitions = sp.GetRequiredService<SensorReadingPartitions>();
            await partitions.EnsureAsync([day], default);
            return partitions.PartitionOf(day);
        });
        await app.ExecuteAsync($"""
            INSERT INTO sensors.readings (device_id, reading_id, at, quantity, value, received_at, via)
            SELECT '{Guid.NewGuid()}', 'old-' || i, '{day:yyyy-MM-dd} 08:00:00+00'::timestamptz + i * interval '1 minute', 'pm2_5', 12.5, now(), 'http'
            FROM generate_series(1, 5) i
            """);
        var stored = await app.CountAsync($"SELECT count(*) FROM sensors.{partition}");
        Assert.True(stored >= 5);

        await app.InScopeAsync(sp => sp.GetRequiredService<ReadingPartitionsJob>().RunAsync(default));

        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM pg_class WHERE relname = '{partition}'"));
        Assert.Equal(stored, await app.CountAsync($"""
            SELECT (d->>'deleted')::bigint FROM audit.entries e, jsonb_array_elements(e.details->'days') d
            WHERE e.module = 'Sensors' AND e.action = 'retention-purge' AND e.details->>'dataClass' = 'environmental readings'
              AND d->>'day' = '{day:yyyy-MM-dd}' ORDER BY e.id DESC LIMIT 1
            """));
        // Counts only: the entry has no device and no value.
        Assert.Equal(0, await app.CountAsync("SELECT count(*) FROM audit.entries WHERE module = 'Sensors' AND action = 'retention-purge' AND details::text LIKE '%pm2_5%'"));
    }
}
