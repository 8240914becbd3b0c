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

/// <summary>Checks newly listed plates against the last <see cref="HotlistOptions.RetroactiveDays"/> days of reads; records the hits of
/// past reads found otherwise too (<see cref="RecordAsync"/>: a catch-up's).</summary>
internal sealed class RetroactiveHotlistCheck(PlatesDbContext db, HotlistHitRecorder recorder, OutboxSqlWriter outbox, IOptions<HotlistOptions> options,
    TimeProvider clock)
{
    /// <summary>At most this many wildcards are tried by the database on every read of the window (ADR 0061).</summary>
    private const int WildcardsFiltered = 8;

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
    public Task<int> RunAsync(IReadOnlyList<MatchableEntry> entries, Guid? owed, CancellationToken ct) =>
        RecordAsync(now => entries.Count == 0 ? Task.FromResult(new List<(PlateMatch, MatchedRead)>()) : PastHitsAsync(entries, now, ct),
            owed, retroactive: true, ct);

    /// <summary>
    /// The hits <paramref name="find"/> returns, recorded (each once per entry and read, however often this runs) with their events in
    /// Plates' outbox, in one transaction that also marks <paramref name="owed"/> delivered, if given. Returns the hits recorded now.
    /// </summary>
    public async Task<int> RecordAsync(Func<DateTimeOffset, Task<List<(PlateMatch Match, MatchedRead Read)>>> find, Guid? owed, bool retroactive,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (owed is { } id)
        {
            var key = AdvisoryLocks.PerIncident(AdvisoryLocks.HotlistLookBackOwedPerMessage, id);
            if (!await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({key}) AS \"Value\"").SingleAsync(ct))
                throw new InvalidOperationException($"The look-back {id} owes is running elsewhere (its listing's request); it is tried again later.");
            if (await OutboxDelivery.IsDeliveredAsync(db, id, ct))
                return 0;
        }
        var hits = await find(now);
        var (connection, tx) = ((NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)transaction.GetDbTransaction());
        var recorded = await recorder.RecordAsync(connection, tx, hits, retroactive, ct);
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
    /// the matcher ingestion uses: the window a day (a partition) a statement. When a read can spell the entries' plates in at most
    /// <see cref="HotlistOptions.RetroactiveSpellingLimit"/> ways — each as listed or with a look-alike (O/0, I/1, B/8, S/5, Z/2), a
    /// character missing or one extra — only those reads are fetched, by the plate index (with a few wildcards, by a scan that tries
    /// them); otherwise every read of the window goes through the matcher, at a cost that does not grow with the import. Asking the
    /// database for a large import's candidate plates instead took 14 s for 200,000 entries against 287,040 reads and exceeded the
    /// command timeout beyond (ADR 0061).
    /// </summary>
    private async Task<List<(PlateMatch Match, MatchedRead Read)>> PastHitsAsync(IReadOnlyList<MatchableEntry> entries, DateTimeOffset now, CancellationToken ct)
    {
        var matcher = new PlateMatcher(entries);
        var candidates = Candidates(entries, options.Value.RetroactiveSpellingLimit);
        var hits = new List<(PlateMatch, MatchedRead)>();
        for (var from = now.AddDays(-options.Value.RetroactiveDays); from < now;)
        {
            // The last statement has no end: a reader's clock a little ahead of ours must not hide its reads.
            var next = new DateTimeOffset(from.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
            var reads = db.Reads.Where(r => r.CapturedAt >= from);
            if (next < now)
                reads = reads.Where(r => r.CapturedAt < next);
            if (candidates is var (spellings, likes))
                reads = likes.Length == 0
                    ? reads.Where(r => spellings.Contains(r.Plate))
                    : reads.Where(r => spellings.Contains(r.Plate) || likes.Any(like => EF.Functions.Like(r.Plate, like)));
            await MatchAsync(reads, matcher, now, hits, ct);
            from = next;
        }
        return hits;
    }

    /// <summary>Streams the stored <paramref name="reads"/> through <paramref name="matcher"/> as at <paramref name="at"/>, adding each match
    /// with its read, as the matcher and the hit recorder take it, to <paramref name="hits"/>.</summary>
    internal static async Task MatchAsync(IQueryable<PlateRead> reads, PlateMatcher matcher, DateTimeOffset at,
        List<(PlateMatch Match, MatchedRead Read)> hits, CancellationToken ct)
    {
        await foreach (var r in reads.AsNoTracking()
                           .Select(r => new MatchedRead(r.Id, r.ReaderId, r.Plate, r.Region, r.CapturedAt, r.Latitude, r.Longitude, r.Make, r.Color, r.ImageRef))
                           .AsAsyncEnumerable().WithCancellation(ct))
            foreach (var m in matcher.Match(r.Plate, r.Region, at))
                hits.Add((m, r));
    }

    /// <summary>
    /// What a read must carry to match one of <paramref name="entries"/>: every spelling of their plates (<see cref="PlateMatcher.Spellings"/>)
    /// and the wildcards as LIKE patterns; null when there are more than <paramref name="limit"/> spellings or <see cref="WildcardsFiltered"/>
    /// wildcards (each pattern is tried on every read of the window: past a few, the matcher is cheaper).
    /// </summary>
    private static (string[] Spellings, string[] Likes)? Candidates(IReadOnlyList<MatchableEntry> entries, int limit)
    {
        var spellings = new HashSet<string>(StringComparer.Ordinal);
        var likes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            if (PlateMatcher.IsWildcard(e.Plate))
            {
                if (likes.Add(PlateMatcher.ToLike(e.Plate)) && likes.Count > WildcardsFiltered)
                    return null;
                continue;
            }
            foreach (var spelling in PlateMatcher.Spellings(e.Plate))
                if (spellings.Add(spelling) && spellings.Count > limit)
                    return null;
        }
        return ([.. spellings], [.. likes]);
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

/// <summary>
/// The reads <paramref name="ReadIds"/> of a batch from <paramref name="ReaderId"/>, stored at <paramref name="ReceivedAt"/> (captured between
/// <paramref name="Earliest"/> and <paramref name="Latest"/>) while the node's matcher was older than the lists at <paramref name="Version"/>,
/// which the batch read in its transaction: they are checked again by a matcher built from that version or later. Written into Plates'
/// outbox in the batch's transaction, handed to the live dispatch once the node's new matcher is built (a second or so with a million
/// entries, where every batch used to wait for it), taken by the sweep if the node dies first. A hit the old matcher already recorded is
/// not recorded twice (ADR 0062).
/// </summary>
internal sealed record HotlistCatchUpOwed(Guid Id, Guid ReaderId, long Version, DateTimeOffset ReceivedAt, DateTimeOffset Earliest,
    DateTimeOffset Latest, Guid[] ReadIds) : IOutboxMessage;

internal sealed class CatchUpHotlistHitsHandler(PlatesDbContext db, HotlistMatcherCache matchers, RetroactiveHotlistCheck recorder)
    : INotificationHandler<HotlistCatchUpOwed>
{
    public async ValueTask Handle(HotlistCatchUpOwed owed, CancellationToken ct)
    {
        var matcher = (await matchers.AtLeastAsync(owed.Version, ct)).Matcher;
        await recorder.RecordAsync(async _ =>
        {
            var hits = new List<(PlateMatch, MatchedRead)>();
            // The batch's reads, in its days' partitions only; matched as they would have been when they arrived.
            await RetroactiveHotlistCheck.MatchAsync(db.Reads.Where(r => r.ReaderId == owed.ReaderId && r.CapturedAt >= owed.Earliest
                && r.CapturedAt <= owed.Latest && owed.ReadIds.Contains(r.Id)), matcher, owed.ReceivedAt, hits, ct);
            return hits;
        }, owed: null, retroactive: false, ct);
    }
}
