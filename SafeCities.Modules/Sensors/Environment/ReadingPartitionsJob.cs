using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Sensors.Environment;

/// <summary>
/// Recurring job <c>sensors:readings</c> (hourly) and start-up task: the partitions of yesterday, today and tomorrow exist before readings
/// of those days arrive, and whole days older than <see cref="SensorsOptions.ReadingRetentionDays"/> are dropped (a partition drop, not a
/// delete: no bloat, no long transaction).
/// </summary>
internal sealed class ReadingPartitionsJob(SensorReadingPartitions partitions, Npgsql.NpgsqlDataSource dataSource, TimeProvider clock,
    IOptions<SensorsOptions> options, ILogger<ReadingPartitionsJob> logger) : IStartupTask
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        partitions.Forget();
        await partitions.EnsureAsync([today.AddDays(-1), today, today.AddDays(1)], cancellationToken);
        var firstKept = today.AddDays(-options.Value.ReadingRetentionDays);
        var dropped = 0;
        foreach (var day in (await partitions.ListAsync(cancellationToken)).Where(d => d < firstKept))
        {
            await using var drop = dataSource.CreateCommand($"DROP TABLE IF EXISTS sensors.{partitions.PartitionOf(day)}");
            await drop.ExecuteNonQueryAsync(cancellationToken);
            dropped++;
        }
        if (dropped > 0)
            logger.LogInformation("Dropped {Count} day partitions of sensors.readings past the retention of {Days} days", dropped, options.Value.ReadingRetentionDays);
        return dropped;
    }

    Task IStartupTask.RunAsync(CancellationToken cancellationToken) => RunAsync(cancellationToken);
}
