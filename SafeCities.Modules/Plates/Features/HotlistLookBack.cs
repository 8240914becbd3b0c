using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Domain;
using SafeCities.Modules.Shared.Outbox;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace SafeCities.Modules.Plates.Features;

/// <summary>Checks newly listed plates against the last <see cref="HotlistOptions.RetroactiveDays"/> days of reads.</summary>
internal sealed class RetroactiveHotlistCheck(PlatesDbContext db, HotlistHitRecorder recorder, OutboxSqlWriter outbox, IOptions<HotlistOptions> options,
    TimeProvider clock)
{
    public async Task<int> RunAsync(IReadOnlyList<MatchableEntry> entries, CancellationToken ct)
    {
        if (entries.Count == 0)
            return 0;
        var now = clock.GetUtcNow();
        var since = now.AddDays(-options.Value.RetroactiveDays);
        var extra = entries.Count <= options.Value.RetroactiveExtraCharacterLimit;
        var folded = new HashSet<string>(StringComparer.Ordinal);
        var likes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            if (PlateMatcher.IsWildcard(e.Plate))
            {
                likes.Add(PlateMatcher.ToLike(e.Plate));
                continue;
            }
            var f = PlateMatcher.Fold(e.Plate);
            folded.Add(f);
            if (f.Length >= PlateMatcher.MinTolerantLength + 1)
                folded.UnionWith(PlateMatcher.Deletions(f));
            if (extra && f.Length >= PlateMatcher.MinTolerantLength)
                folded.UnionWith(PlateMatcher.Insertions(f));
        }
        var foldedArr = folded.ToArray();
        var likesArr = likes.ToArray();
        var reads = await db.Reads.FromSql($"""
                SELECT * FROM plates.plate_reads
                WHERE captured_at >= {since} AND (translate(plate, 'OIBSZ', '01852') = ANY({foldedArr}) OR plate LIKE ANY({likesArr}))
                """)
            .AsNoTracking().Select(r => new MatchedRead(r.Id, r.ReaderId, r.Plate, r.Region, r.CapturedAt, r.Latitude, r.Longitude, r.Make, r.Color, r.ImageRef))
            .ToListAsync(ct);
        var matcher = new PlateMatcher(entries);
        var hits = reads.SelectMany(r => matcher.Match(r.Plate, r.Region, now).Select(m => (m, r))).ToList();
        if (hits.Count == 0)
            return 0;
        List<OutboxMessage> recorded;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var (connection, tx) = ((NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)transaction.GetDbTransaction());
            recorded = await recorder.RecordAsync(connection, tx, hits, retroactive: true, ct);
            // The hits' events commit with them, as a live hit's do (ADR 0061): a node that dies before the hand-over below leaves them
            // to the sweep; without the rows, a listed plate's past reads would be recorded and never alerted.
            await outbox.InsertAsync(connection, tx, PlatesDbContext.Schema, recorded, ct);
            await transaction.CommitAsync(ct);
        }
        outbox.Committed<PlatesDbContext>(recorded);
        return recorded.Count;
    }
}
