using Npgsql;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Domain;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Plates.Features;

/// <summary>
/// Recurring job <c>plates:retention</c> (daily): reads are kept <see cref="PlatesOptions.ReadRetentionDays"/> days, counted in
/// whole UTC days of capture (a day goes once all of it is past retention, so a read lives between N and N + 1 days). A day
/// partition with no evidence is dropped. Reads tied to an incident (<c>plates.incident_reads</c>) or to a hotlist hit
/// (<c>plates.hotlist_hits</c>) are evidence and stay where
/// they are, in the same table and day partition, until released (their link removed): the other reads of that day are cut
/// with TRUNCATE and the evidence is put back, so every query that joins reads keeps working. A day holding only evidence is
/// left alone until that changes. Each day it deleted from is recorded in <c>plates.retention_runs</c> (counts, never plates).
/// </summary>
internal sealed class PlateReadRetentionJob(NpgsqlDataSource dataSource, PlateReadPartitions partitions, TimeProvider clock,
    IOptions<PlatesOptions> options, ILogger<PlateReadRetentionJob> logger)
{
    /// <summary>Reads that are evidence. Other sources of evidence (hits of hotlists…) add their subquery here.</summary>
    private const string Evidence = "SELECT plate_read_id FROM plates.incident_reads UNION SELECT plate_read_id FROM plates.hotlist_hits";

    internal sealed record DayPurged(DateOnly Day, long Deleted, long KeptAsEvidence, bool Dropped);

    public async Task<int> RunAsync(CancellationToken cancellationToken) => (await PurgeAsync(cancellationToken)).Count;

    public async Task<IReadOnlyList<DayPurged>> PurgeAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var firstKept = DateOnly.FromDateTime(now.UtcDateTime.AddDays(-options.Value.ReadRetentionDays));
        var purged = new List<DayPurged>();
        foreach (var day in (await partitions.ListAsync(ct)).Where(d => d < firstKept))
        {
            try
            {
                if (await PurgeDayAsync(day, now, ct) is { } done)
                    purged.Add(done);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.LockNotAvailable)
            {
                logger.LogWarning("Retention skipped {Day}: its partition stayed busy; the next run takes it", day);
            }
        }
        if (purged.Any(p => p.Dropped))
            partitions.Forget();
        foreach (var p in purged)
            logger.LogInformation("Retention of reads: {Day} {Deleted} deleted, {Kept} kept as evidence{Dropped}", p.Day, p.Deleted, p.KeptAsEvidence,
                p.Dropped ? " (partition dropped)" : "");
        return purged;
    }

    private async Task<DayPurged?> PurgeDayAsync(DateOnly day, DateTimeOffset now, CancellationToken ct)
    {
        var part = $"plates.{PlateReadPartitions.NameOf(day)}";
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // The reads of an expired day no longer change (ingestion refuses them), so the long count runs before any lock.
        var total = await CountAsync(connection, null, $"SELECT count(*) FROM {part}", ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // Exclusive arming lock, held briefly: no batch is being linked and no incident is looking back while the day goes.
        // Never wait long behind long readers of the table: skip the day and take it next run.
        await ExecuteAsync(connection, transaction, $"SET LOCAL lock_timeout = '10s'; SELECT pg_advisory_xact_lock({AdvisoryLocks.PlatesArming})", ct);
        var evidence = await CountAsync(connection, transaction, $"SELECT count(*) FROM {part} WHERE id IN ({Evidence})", ct);
        if (evidence > 0 && evidence == total)
            return null;   // only evidence left: nothing to delete
        // The images of the day's reads go with them (the reads kept as evidence keep theirs).
        await ExecuteAsync(connection, transaction, $"""
            DELETE FROM plates.plate_images i USING {part} r
            WHERE r.image_ref IS NOT NULL AND i.reader_id = r.reader_id AND i.image_ref = r.image_ref AND r.id NOT IN ({Evidence})
            """, ct);
        if (evidence == 0)
            await ExecuteAsync(connection, transaction, $"DROP TABLE {part}", ct);
        else
            await ExecuteAsync(connection, transaction, $"""
                CREATE TEMP TABLE evidence_reads ON COMMIT DROP AS SELECT * FROM {part} WHERE id IN ({Evidence});
                TRUNCATE {part};
                INSERT INTO {part} SELECT * FROM evidence_reads;
                """, ct);
        await using (var record = new NpgsqlCommand("""
            INSERT INTO plates.retention_runs (run_at, data_class, day, deleted, kept_as_evidence) VALUES ($1, $2, $3, $4, $5)
            """, connection, transaction))
        {
            record.Parameters.Add(new NpgsqlParameter { Value = now });
            record.Parameters.Add(new NpgsqlParameter { Value = RetentionRun.Reads });
            record.Parameters.Add(new NpgsqlParameter { Value = day });
            record.Parameters.Add(new NpgsqlParameter { Value = total - evidence });
            record.Parameters.Add(new NpgsqlParameter { Value = evidence });
            await record.ExecuteNonQueryAsync(ct);
        }
        // The same counts go into the audit hash chain, so that the annual report shows each deletion with the anchor sealing it (ADR 0045).
        await AuditPurge.RecordAsync(connection, transaction, "Plates", RetentionRun.Reads, day, total - evidence, evidence, now, ct);
        await transaction.CommitAsync(ct);
        return new DayPurged(day, total - evidence, evidence, evidence == 0);
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(ct);
    }
}
