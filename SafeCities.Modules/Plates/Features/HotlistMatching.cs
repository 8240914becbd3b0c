using Hangfire;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Domain;
using SafeCities.Modules.Shared.Caching;

namespace SafeCities.Modules.Plates.Features;

// ---- matching: the matcher cache and matching on ingestion ------------------------------------------------------------

/// <summary>
/// The compiled matcher of the active entries, per node, built by one caller at a time; any change on any node drops it (and it is
/// rebuilt after a while anyway, for entries that expire).
/// </summary>
internal sealed class HotlistMatcherCache(CacheInvalidation cache, TimeProvider clock, IOptions<HotlistOptions> options)
{
    private const string Key = "plates:hotlist-matcher";
    private readonly SemaphoreSlim _gate = new(1, 1);

    public Task InvalidateAsync() => cache.InvalidateAsync(Key);

    public async Task<PlateMatcher> GetAsync(PlatesDbContext db, CancellationToken ct)
    {
        if (cache.TryGet(Key, out PlateMatcher? current))
            return current!;
        await _gate.WaitAsync(ct);
        try
        {
            return await cache.GetOrLoadAsync(Key, TimeSpan.FromSeconds(options.Value.MatcherCacheSeconds),
                async c => new PlateMatcher(await HotlistQueries.ActiveEntries(db, clock.GetUtcNow()).ToListAsync(c)), ct);
        }
        finally
        {
            _gate.Release();
        }
    }
}

internal static class HotlistQueries
{
    public static IQueryable<MatchableEntry> ActiveEntries(PlatesDbContext db, DateTimeOffset now) =>
        from e in db.HotlistEntries
        join h in db.Hotlists on e.HotlistId equals h.Id
        where e.WithdrawnAt == null && (e.ExpiresAt == null || e.ExpiresAt > now) && (h.ExpiresAt == null || h.ExpiresAt > now)
        select new MatchableEntry(e.Id, e.HotlistId, e.Plate, e.Region,
            e.ExpiresAt == null ? h.ExpiresAt : h.ExpiresAt == null ? e.ExpiresAt : e.ExpiresAt < h.ExpiresAt ? e.ExpiresAt : h.ExpiresAt);

    public static HotlistDto ToDto(this Hotlist h, int active) =>
        new(h.Id, h.Name, h.Kind, h.AlertLevel, h.Reason, h.Owner, h.Visibility, h.ExpiresAt, h.CreatedAt, h.CreatedBy, h.ImportedAt, active);

    public static HotlistEntryDto ToDto(this HotlistEntry e, int retroactiveHits = 0) =>
        new(e.Id, e.HotlistId, e.Plate, e.Region, e.Reason, e.Reference, e.Description, e.ExpiresAt, e.AddedAt, e.WithdrawnAt, retroactiveHits);
}

/// <summary>
/// Matches every newly stored read against the active hotlists. A failure never fails the acknowledged batch (the reads are
/// committed): the batch is handed to a Hangfire job (stored in PostgreSQL) that matches it again; hits are one per entry and read,
/// so a retry never raises one twice.
/// </summary>
internal sealed class MatchHotlistsOnIngestionHandler(HotlistMatchRunner runner, IBackgroundJobClient jobs, ILogger<MatchHotlistsOnIngestionHandler> logger)
    : INotificationHandler<PlateReadsStored>
{
    public async ValueTask Handle(PlateReadsStored stored, CancellationToken cancellationToken)
    {
        try
        {
            await runner.RunAsync(stored, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Hotlist matching of {Reads} reads from reader {ReaderId} failed; queued for a retry", stored.Reads.Count, stored.ReaderId);
            var job = HotlistMatchRunner.ForRetry(stored);
            jobs.Schedule<HotlistMatchRunner>(r => r.RetryAsync(job, CancellationToken.None), TimeSpan.FromSeconds(30));
        }
    }
}

internal sealed class HotlistMatchRunner(PlatesDbContext db, HotlistMatcherCache cache, HotlistHitRecorder recorder, TimeProvider clock)
{
    public async Task RunAsync(PlateReadsStored stored, CancellationToken ct)
    {
        var matcher = await cache.GetAsync(db, ct);
        if (matcher.Count == 0)
            return;
        var now = clock.GetUtcNow();
        var hits = stored.Reads.SelectMany(r => matcher.Match(r.Plate, r.Region, now).Select(m =>
            (m, new MatchedRead(r.Id, stored.ReaderId, r.Plate, r.Region, r.CapturedAt, stored.ReaderLatitude, stored.ReaderLongitude)))).ToList();
        await recorder.RecordAsync(hits, retroactive: false, ct);
    }

    /// <summary>The batch as the job storage can give it back (a concrete List: Hangfire records the runtime type of each value).</summary>
    public static PlateReadsStored ForRetry(PlateReadsStored stored) => stored with { Reads = stored.Reads.ToList() };

    /// <summary>The Hangfire retry (Hangfire retries again on failure).</summary>
    public Task RetryAsync(PlateReadsStored stored, CancellationToken ct) => RunAsync(stored, ct);
}
