using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Domain;
using SafeCities.Modules.Shared.Outbox;
using SafeCities.Modules.Shared.Persistence;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace SafeCities.Modules.Plates.Features;

/// <summary>
/// A look-back still owed: the entries of <paramref name="HotlistId"/> added at or after <paramref name="AddedSince"/> (and not withdrawn)
/// have not yet been checked against past reads. Written into Plates' outbox (as message <paramref name="Id"/>) in the transaction that
/// lists them and marked delivered in the transaction that records the look-back's hits; if the listing's node dies in between, or the
/// look-back fails, the sweep runs it (<see cref="RunOwedHotlistLookBackHandler"/>). Without it, a plate listed by an import whose
/// look-back never ran stayed unchecked for good: a repeated import keeps the entry (same id) and does not look back again. ADR 0061.
/// </summary>
internal sealed record HotlistLookBackOwed(Guid Id, Guid HotlistId, DateTimeOffset AddedSince) : IOutboxMessage;

/// <summary>Checks newly listed plates against the last <see cref="HotlistOptions.RetroactiveDays"/> days of reads.</summary>
internal sealed class RetroactiveHotlistCheck(PlatesDbContext db, HotlistHitRecorder recorder, OutboxSqlWriter outbox, IOptions<HotlistOptions> options,
    TimeProvider clock)
{
    /// <summary>
    /// In the listing's transaction, before its <c>SaveChanges</c>: the look-back the listing owes, for the entries of
    /// <paramref name="hotlistId"/> added at <paramref name="addedAt"/> or later. Pass it to <see cref="RunAsync"/> after the commit.
    /// </summary>
    public Guid Owe(Guid hotlistId, DateTimeOffset addedAt)
    {
        var owed = new HotlistLookBackOwed(Guid.CreateVersion7(), hotlistId, addedAt);
        db.AddOutboxMessage(owed, owed.Id, deliveredByCaller: true, lane: OutboxLane.Bulk);
        return owed.Id;
    }

    /// <summary>
    /// Records the hits of <paramref name="entries"/> in past reads (each once, however often it runs) with their events in Plates' outbox,
    /// and, for a look-back <paramref name="owed"/> (from <see cref="Owe"/>), marks it delivered in the same transaction. Returns the hits
    /// recorded now. An owed look-back runs once at a time: while one run holds it, another (the sweep's, when a large import's look-back
    /// outlasts the sweep's grace) fails and is retried later, and a run that finds it delivered does nothing.
    /// </summary>
    public async Task<int> RunAsync(IReadOnlyList<MatchableEntry> entries, Guid? owed, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (owed is { } id)
        {
            var key = AdvisoryLocks.PerIncident(AdvisoryLocks.HotlistLookBackOwedPerMessage, id);
            if (!await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({key}) AS \"Value\"").SingleAsync(ct))
                throw new InvalidOperationException($"The look-back {id} owes is running elsewhere (its listing's request); it is tried again later.");
            if (await db.Database.SqlQuery<bool>($"""
                    SELECT EXISTS (SELECT 1 FROM plates.outbox_messages WHERE id = {id} AND dispatched_at IS NOT NULL) AS "Value"
                    """).SingleAsync(ct))
                return 0;
        }
        var hits = entries.Count == 0 ? [] : await PastHitsAsync(entries, now, ct);
        var (connection, tx) = ((NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)transaction.GetDbTransaction());
        var recorded = await recorder.RecordAsync(connection, tx, hits, retroactive: true, ct);
        // The hits' events commit with them, as a live hit's do (ADR 0061): a node that dies before the hand-over below leaves them to the
        // sweep; without the rows, a listed plate's past reads would be recorded and never alerted.
        await outbox.InsertAsync(connection, tx, PlatesDbContext.Schema, recorded, ct);
        if (owed is { } done)
            await OutboxDelivery.MarkDeliveredAsync(db, done, now, ct);
        await transaction.CommitAsync(ct);
        outbox.Committed<PlatesDbContext>(recorded);
        return recorded.Count;
    }

    /// <summary>
    /// The reads of the last <see cref="HotlistOptions.RetroactiveDays"/> days that <paramref name="entries"/> match, with the match, by
    /// the matcher ingestion uses: the window a day (a partition) a statement. Up to <see cref="HotlistOptions.RetroactivePrefilterLimit"/>
    /// entries the database first keeps the reads whose folded plate is one of theirs or one character off, or that fit a wildcard; a
    /// larger import's candidates (about 30 × length a plate) made that filter slower than reading the window whole — 14 s for 200,000
    /// entries against 287,040 reads, and past the command timeout beyond — so its look-back streams every read of the window through the
    /// matcher instead, at a cost that does not grow with the import (ADR 0061).
    /// </summary>
    private async Task<List<(PlateMatch Match, MatchedRead Read)>> PastHitsAsync(IReadOnlyList<MatchableEntry> entries, DateTimeOffset now, CancellationToken ct)
    {
        var matcher = new PlateMatcher(entries);
        var (folded, likes) = entries.Count <= options.Value.RetroactivePrefilterLimit ? Candidates(entries) : (null, null);
        var hits = new List<(PlateMatch, MatchedRead)>();
        for (var from = now.AddDays(-options.Value.RetroactiveDays); from < now;)
        {
            // The last statement has no end: a reader's clock a little ahead of ours must not hide its reads.
            var next = new DateTimeOffset(from.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
            var reads = folded is null
                ? db.Reads.Where(r => r.CapturedAt >= from)
                : db.Reads.FromSql($"""
                    SELECT * FROM plates.plate_reads
                    WHERE translate(plate, 'OIBSZ', '01852') = ANY({folded}) OR plate LIKE ANY({likes})
                    """).Where(r => r.CapturedAt >= from);
            if (next < now)
                reads = reads.Where(r => r.CapturedAt < next);
            await foreach (var r in reads.AsNoTracking()
                               .Select(r => new MatchedRead(r.Id, r.ReaderId, r.Plate, r.Region, r.CapturedAt, r.Latitude, r.Longitude, r.Make, r.Color, r.ImageRef))
                               .AsAsyncEnumerable().WithCancellation(ct))
                foreach (var m in matcher.Match(r.Plate, r.Region, now))
                    hits.Add((m, r));
            from = next;
        }
        return hits;
    }

    /// <summary>The folded plates a read may have to match one of <paramref name="entries"/> (misread, one character missing or extra) and the wildcards as LIKE patterns.</summary>
    private static (string[] Folded, string[] Likes) Candidates(IReadOnlyList<MatchableEntry> entries)
    {
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
            if (f.Length >= PlateMatcher.MinTolerantLength)
                folded.UnionWith(PlateMatcher.Insertions(f));
        }
        return (folded.ToArray(), likes.ToArray());
    }
}

/// <summary>The sweep's delivery of a look-back a listing owes (its node died before the look-back, or the look-back failed).</summary>
internal sealed class RunOwedHotlistLookBackHandler(PlatesDbContext db, RetroactiveHotlistCheck lookBack, TimeProvider clock)
    : INotificationHandler<HotlistLookBackOwed>
{
    public async ValueTask Handle(HotlistLookBackOwed owed, CancellationToken ct)
    {
        var added = db.HotlistEntries.Where(e => e.HotlistId == owed.HotlistId && e.AddedAt >= owed.AddedSince);
        var entries = await HotlistQueries.ActiveEntries(db, clock.GetUtcNow(), added).ToListAsync(ct);
        await lookBack.RunAsync(entries, owed.Id, ct);
    }
}
