using SafeCities.Modules.Shared.Audit;
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
            // Count, drop and record in one transaction: the deletion log (audit chain) says how many readings of the day went (ADR 0045).
            var part = $"sensors.{partitions.PartitionOf(day)}";
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var exists = new Npgsql.NpgsqlCommand($"SELECT to_regclass('{part}') IS NOT NULL", connection, transaction))
                if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
                    continue;
            await using (var lockDay = new Npgsql.NpgsqlCommand($"LOCK TABLE {part} IN ACCESS EXCLUSIVE MODE", connection, transaction))
                await lockDay.ExecuteNonQueryAsync(cancellationToken);
            long deleted;
            await using (var count = new Npgsql.NpgsqlCommand($"SELECT count(*) FROM {part}", connection, transaction))
                deleted = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
            await using (var drop = new Npgsql.NpgsqlCommand($"DROP TABLE {part}", connection, transaction))
                await drop.ExecuteNonQueryAsync(cancellationToken);
            await AuditPurge.RecordAsync(connection, transaction, "Sensors", "environmental readings", day, deleted, 0, clock.GetUtcNow(), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            dropped++;
        }
        if (dropped > 0)
            logger.LogInformation("Dropped {Count} day partitions of sensors.readings past the retention of {Days} days", dropped, options.Value.ReadingRetentionDays);
        return dropped;
    }

    Task IStartupTask.RunAsync(CancellationToken cancellationToken) => RunAsync(cancellationToken);
}
