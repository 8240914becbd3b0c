using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Domain;
using SafeCities.Modules.Shared.Caching;

namespace SafeCities.Modules.Plates.Features;

// ---- matching: the matcher cache and matching on ingestion ------------------------------------------------------------

/// <summary>
/// The compiled matcher of the active entries, per node, built by one caller at a time; any change on any node drops it, and the next
/// read waits for the new one. Every <see cref="HotlistOptions.MatcherCacheSeconds"/> the lists' version is checked and, when it changed
/// (a change whose invalidation this node missed), the matcher is rebuilt in the background while the current one keeps matching
/// (entries that expire meanwhile are already left out by <see cref="PlateMatcher.Match"/>): with a million entries a rebuild takes
/// seconds of CPU, and ingestion must neither wait for it nor pay for it when nothing changed (docs/adr/0049-hotlist-matcher-index.md,
/// docs/adr/0057-plate-ingestion-at-copy-speed.md).
/// </summary>
internal sealed class HotlistMatcherCache(CacheInvalidation cache, TimeProvider clock, IOptions<HotlistOptions> options, IServiceScopeFactory scopes,
    ILogger<HotlistMatcherCache> logger)
{
    private const string Key = "plates:hotlist-matcher";
    /// <summary>The cache's last resort: background rebuilds keep the matcher current, invalidations drop it.</summary>
    private static readonly TimeSpan LastResort = TimeSpan.FromHours(6);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// What is cached: the matcher and the version of the lists it was built from, replaced in place by a background rebuild (an
    /// invalidation drops the whole holder).
    /// </summary>
    private sealed class Holder((PlateMatcher Matcher, long Version) built, long builtAt)
    {
        public volatile PlateMatcher Matcher = built.Matcher;
        public long Version = built.Version;
        public long BuiltAt = builtAt;
        public int Rebuilding;
    }

    public Task InvalidateAsync() => cache.InvalidateAsync(Key);

    /// <summary>The current matcher; loaded (in a scope of its own) only when none is cached, so a batch needs no DbContext.</summary>
    public async Task<PlateMatcher> GetAsync(CancellationToken ct)
    {
        if (cache.TryGet(Key, out Holder? current))
        {
            RebuildIfOld(current!);
            return current!.Matcher;
        }
        await _gate.WaitAsync(ct);
        try
        {
            var holder = await cache.GetOrLoadAsync(Key, LastResort, async c =>
            {
                await using var scope = scopes.CreateAsyncScope();
                return new Holder(await LoadAsync(scope.ServiceProvider.GetRequiredService<PlatesDbContext>(), c), clock.GetTimestamp());
            }, ct);
            return holder.Matcher;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The version first, then the entries: a change committed in between is in the matcher and makes the next check rebuild once more.</summary>
    private async Task<(PlateMatcher Matcher, long Version)> LoadAsync(PlatesDbContext db, CancellationToken ct)
    {
        var version = await VersionAsync(db, ct);
        return (new PlateMatcher(await HotlistQueries.ActiveEntries(db, clock.GetUtcNow()).ToListAsync(ct)), version);
    }

    /// <summary>
    /// <c>plates.hotlist_version</c>: bumped in the transaction of every statement that changes a list or an entry (a statement trigger),
    /// so a check costs one row, and a million-entry matcher is rebuilt only when something it was built from changed (ADR 0057).
    /// </summary>
    private static Task<long> VersionAsync(PlatesDbContext db, CancellationToken ct) =>
        db.Database.SqlQuery<long>($"SELECT coalesce((SELECT version FROM plates.hotlist_version WHERE id = 1), 0) AS \"Value\"").SingleAsync(ct);

    private void RebuildIfOld(Holder holder)
    {
        if (clock.GetElapsedTime(Interlocked.Read(ref holder.BuiltAt)) < TimeSpan.FromSeconds(options.Value.MatcherCacheSeconds)
            || Interlocked.Exchange(ref holder.Rebuilding, 1) == 1)
            return;
        _ = Task.Run(async () =>
        {
            try
            {
                var started = clock.GetTimestamp();
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<PlatesDbContext>();
                // Unchanged lists (the usual case: invalidations carry the changes): the matcher stays, checked again in a while.
                if (await VersionAsync(db, CancellationToken.None) != Interlocked.Read(ref holder.Version))
                {
                    var (matcher, version) = await LoadAsync(db, CancellationToken.None);
                    holder.Matcher = matcher;
                    Interlocked.Exchange(ref holder.Version, version);
                }
                Interlocked.Exchange(ref holder.BuiltAt, started);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Rebuilding the hotlist matcher failed; the current one keeps matching and the next read tries again");
            }
            finally
            {
                Volatile.Write(ref holder.Rebuilding, 0);
            }
        });
    }
}

internal static class HotlistQueries
{
    /// <summary>The entries a read can match now (of <paramref name="among"/> only, if given), each with the earlier of its and its list's expiry.</summary>
    public static IQueryable<MatchableEntry> ActiveEntries(PlatesDbContext db, DateTimeOffset now, IQueryable<HotlistEntry>? among = null) =>
        from e in among ?? db.HotlistEntries
        join h in db.Hotlists on e.HotlistId equals h.Id
        where e.WithdrawnAt == null && (e.ExpiresAt == null || e.ExpiresAt > now) && (h.ExpiresAt == null || h.ExpiresAt > now)
        select new MatchableEntry(e.Id, e.HotlistId, e.Plate, e.Region,
            e.ExpiresAt == null ? h.ExpiresAt : h.ExpiresAt == null ? e.ExpiresAt : e.ExpiresAt < h.ExpiresAt ? e.ExpiresAt : h.ExpiresAt);

    /// <summary>Changes of one list's entries (an import, an entry added by hand) run one at a time: its row locked for the transaction.</summary>
    public static Task LockListAsync(PlatesDbContext db, Guid listId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT 1 FROM plates.hotlists WHERE id = {listId} FOR UPDATE", ct);

    public static HotlistDto ToDto(this Hotlist h, int active) =>
        new(h.Id, h.Name, h.Kind, h.AlertLevel, h.Reason, h.Owner, h.Visibility, h.ExpiresAt, h.CreatedAt, h.CreatedBy, h.ImportedAt, active);

    public static HotlistEntryDto ToDto(this HotlistEntry e, int retroactiveHits = 0) =>
        new(e.Id, e.HotlistId, e.Plate, e.Region, e.Reason, e.Reference, e.Description, e.ExpiresAt, e.AddedAt, e.WithdrawnAt, retroactiveHits);
}
