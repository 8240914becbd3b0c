using System.Globalization;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Npgsql;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Caching;

namespace SafeCities.Modules.Plates.Features;

/// <summary>How long each data class is kept. Reads' retention is configured by the read-retention job (<c>Plates:Retention:ReadsDays</c>).</summary>
/// <summary>
/// Deletes released hits once they are older than the reads' retention (a released hit is treated as the read it was) and records
/// how many per capture day in the audit log (never the plates). Unreleased hits are evidence and are never deleted.
/// </summary>
internal sealed class HitsRetentionJob(PlatesDbContext db, IOptions<PlatesOptions> options, TimeProvider clock, ILogger<HitsRetentionJob> logger)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var cutoff = now.AddDays(-options.Value.ReadRetentionDays);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var deleted = await db.Database.SqlQuery<DayCount>($"""
            WITH gone AS (
                DELETE FROM plates.hotlist_hits WHERE released_at IS NOT NULL AND captured_at < {cutoff} RETURNING captured_at
            )
            SELECT (date_trunc('day', captured_at, 'UTC'))::date AS "Day", count(*)::int AS "Deleted" FROM gone GROUP BY 1 ORDER BY 1
            """).ToListAsync(ct);
        var kept = await db.HotlistHits.CountAsync(h => h.ReleasedAt == null && h.CapturedAt < cutoff, ct);
        await db.AuditAsync("system", "Plates", AuditPurge.Action, null, new
        {
            dataClass = "hits", cutoff, days = deleted.Select(d => new { day = d.Day.ToString("yyyy-MM-dd"), deleted = d.Deleted }), keptAsEvidence = kept,
        }, now, ct);
        await tx.CommitAsync(ct);
        var total = deleted.Sum(d => d.Deleted);
        logger.LogInformation("Hits retention: {Deleted} released hits deleted, {Kept} older hits kept as evidence", total, kept);
        return total;
    }

    internal sealed record DayCount(DateOnly Day, int Deleted);
}

internal sealed class GetPlatesTransparencyQueryHandler(PlatesDbContext db, IOptions<PlatesOptions> options, IMemoryCache cache, TimeProvider clock)
    : IQueryHandler<GetPlatesTransparencyQuery, PlatesTransparencyDto>
{
    /// <summary>The page is public: computed at most every 10 minutes per node, one computation at a time (<see cref="PublicFigures"/>).</summary>
    public async ValueTask<PlatesTransparencyDto> Handle(GetPlatesTransparencyQuery query, CancellationToken ct) =>
        await cache.GetAsync("plates:transparency", BuildAsync, ct);

    private async Task<PlatesTransparencyDto> BuildAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // reads stored, reads deleted, hits, searches, co-location; the current month is always listed, with zeros until something happens
        var months = new SortedDictionary<string, long[]>(StringComparer.Ordinal) { [now.ToString("yyyy-MM", CultureInfo.InvariantCulture)] = new long[5] };
        void Add(string month, int column, long n)
        {
            if (!months.TryGetValue(month, out var row))
                months[month] = row = new long[5];
            row[column] += n;
        }
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        bool runsTable;
        try
        {
            async Task Read(string sql, Action<NpgsqlDataReader> row)
            {
                await using var cmd = new NpgsqlCommand(sql, connection) { CommandTimeout = 120 };
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                    row(r);
            }
            const string Month = "to_char(date_trunc('month', {0}, 'UTC'), 'YYYY-MM')";
            await Read($"SELECT {string.Format(Month, "captured_at")}, count(*) FROM plates.plate_reads GROUP BY 1", r => Add(r.GetString(0), 0, r.GetInt64(1)));
            await using (var check = new NpgsqlCommand("SELECT to_regclass('plates.retention_runs') IS NOT NULL", connection))
                runsTable = (bool)(await check.ExecuteScalarAsync(ct))!;
            if (runsTable)
                await Read("SELECT to_char(date_trunc('month', day::timestamp), 'YYYY-MM'), sum(deleted)::bigint FROM plates.retention_runs WHERE data_class = 'reads' GROUP BY 1",
                    r => Add(r.GetString(0), 1, r.GetInt64(1)));
            await Read($"SELECT {string.Format(Month, "captured_at")}, count(*) FROM plates.hotlist_hits GROUP BY 1", r => Add(r.GetString(0), 2, r.GetInt64(1)));
            await Read("""
                SELECT to_char(date_trunc('month', (d->>'day')::date::timestamp), 'YYYY-MM'), sum((d->>'deleted')::int)::bigint
                FROM audit.entries, jsonb_array_elements(details->'days') d
                WHERE module = 'Plates' AND action = 'retention-purge' AND details->>'dataClass' = 'hits' GROUP BY 1
                """, r => Add(r.GetString(0), 2, r.GetInt64(1)));
            await Read($"""
                SELECT {string.Format(Month, "at")}, count(*) FILTER (WHERE action IN ('search', 'vehicle-sightings')),
                    count(*) FILTER (WHERE action = 'colocation')
                FROM audit.entries WHERE module = 'Plates' AND action IN ('search', 'vehicle-sightings', 'colocation') GROUP BY 1
                """, r => { Add(r.GetString(0), 3, r.GetInt64(1)); Add(r.GetString(0), 4, r.GetInt64(2)); });
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        var readsDays = options.Value.ReadRetentionDays;
        IReadOnlyList<RetentionSettingDto> retention =
        [
            new("Plate reads", $"{readsDays} days, then deleted; reads linked to an incident are kept as evidence until released."),
            new("Hotlist hits", $"Kept as evidence until released by an administrator; a released hit is deleted once older than {readsDays} days."),
            new("Searches (person pages' vehicle look-ups included) and co-location queries", "Every one is recorded with who ran it, when, its purpose and its terms; the record is kept permanently."),
        ];
        return new PlatesTransparencyDto(retention, months.Reverse().Select(m => new TransparencyMonthDto(m.Key, m.Value[0] + m.Value[1], m.Value[1], m.Value[2],
            m.Value[3], m.Value[4])).ToList(), runsTable, now);
    }
}
