using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Domain;
using Npgsql;

namespace SafeCities.Modules.Plates.Features;

// ---- matching: the matcher cache and matching on ingestion ------------------------------------------------------------

/// <summary>
/// The compiled matcher of the active entries, per node, and the version of the lists it was built from (<c>plates.hotlist_version</c>,
/// bumped in the transaction of every statement that changes a list or an entry). A change never holds ingestion up: every batch reads
/// the version in its transaction, and when it is newer than its matcher's, a new matcher is built in the background (one build at a
/// time) while batches keep matching with the old one; each such batch's reads are checked again by the new matcher once it is built
/// (<see cref="HotlistCatchUpOwed"/>), and a hit on an entry withdrawn meanwhile is refused by the database (<see cref="HotlistHitRecorder"/>).
/// The node that made a change builds the matcher holding it before it answers (<see cref="ChangedAsync"/>). A build adds the entries
/// listed since the last full one to it (milliseconds for a plate listed by hand); a full build of a million entries takes about a second
/// of CPU, and every batch of every node used to wait for one after each change (ADR 0062; the matcher itself: ADR 0049).
/// </summary>
internal sealed class HotlistMatcherCache(IServiceScopeFactory scopes, TimeProvider clock, ILogger<HotlistMatcherCache> logger)
{
    /// <summary>
    /// A matcher and the lists' version read before its entries were (it holds at least every change up to that version); its base
    /// (<see cref="PlateMatcher.Base"/>) was built from the full lists at <paramref name="BaseVersion"/>, at <paramref name="BaseBuiltAt"/>
    /// (a timestamp of the clock), and the entries added since are added to it.
    /// </summary>
    internal sealed record Generation(PlateMatcher Matcher, long Version, long BaseVersion, long BaseBuiltAt);

    /// <summary>Past this many entries added since the base, or this age of the base, the next build is a full one: the base sheds the
    /// entries withdrawn since (which the hit recorder refuses meanwhile), and an addition is never as slow as a full build.</summary>
    private const int MostAdded = 50_000;
    private static readonly TimeSpan BaseLifetime = TimeSpan.FromMinutes(10);

    private readonly Lock _gate = new();
    private volatile Generation? _current;
    private Task<Generation>? _building;

    /// <summary>Set in <see cref="Exception.Data"/> of a build's failure once it is logged, so that a caller does not log it again.</summary>
    private const string BuildFailureLogged = "SafeCities.HotlistMatcherBuildFailureLogged";

    /// <summary>The matcher to match with now: the last one built, whatever has changed since (only a node's first batch waits for one).</summary>
    public async Task<Generation> GetAsync(CancellationToken ct) => _current ?? await BuildAsync().WaitAsync(ct);

    /// <summary>A batch read the lists at <paramref name="version"/>: if the matcher is older, a new one is built in the background.</summary>
    public void Saw(long version)
    {
        if (_current is { } current && current.Version < version)
            _ = BuildAsync();
    }

    /// <summary>A matcher built from the lists at <paramref name="version"/> or later (a version some transaction has read: a build started
    /// after that read reaches it).</summary>
    public async Task<Generation> AtLeastAsync(long version, CancellationToken ct)
    {
        for (var builds = 0; ; builds++)
        {
            if (_current is { } current && current.Version >= version)
                return current;
            // A build under way may have read the version before this one was committed: then one more.
            if (builds == 2)
                throw new InvalidOperationException($"The hotlists' version never reached {version}");
            await BuildAsync().WaitAsync(ct);
        }
    }

    /// <summary>
    /// After a change of the lists committed on this node, before it answers: this node matches with the change from now on (other nodes
    /// notice it by the version their next batch reads). It takes no cancellation token: the change is committed whatever the request does.
    /// </summary>
    public async Task ChangedAsync()
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var version = await HotlistQueries.VersionAsync(scope.ServiceProvider.GetRequiredService<PlatesDbContext>(), CancellationToken.None);
            await AtLeastAsync(version, CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            if (!e.Data.Contains(BuildFailureLogged))   // a failed build has said why already
                logger.LogWarning(e, "The hotlist matcher was not rebuilt after a change; the next batch notices the change and rebuilds it");
        }
    }

    /// <summary>
    /// One build at a time, joined by every caller while it runs; the matcher is kept when the version has not moved. A build adds the
    /// entries listed since the base (<see cref="HotlistEntry.AddedVersion"/>; a plate listed by hand: milliseconds) while they are few
    /// and the base young, else builds the full lists again (a million entries: about a second).
    /// </summary>
    private Task<Generation> BuildAsync()
    {
        lock (_gate)
            return _building ??= Task.Run(async () =>
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<PlatesDbContext>();
                    // The version first, then the entries: a change committed in between is in the matcher and only makes the next build
                    // load once more.
                    var version = await HotlistQueries.VersionAsync(db, CancellationToken.None);
                    var current = _current;
                    if (current is not null && current.Version == version)
                        return current;
                    var now = clock.GetUtcNow();
                    Generation? built = null;
                    if (current is not null && clock.GetElapsedTime(current.BaseBuiltAt) < BaseLifetime)
                    {
                        // Counted first (the added-version index): past MostAdded the whole lists are loaded instead, so a capped read needs no order.
                        var changed = db.HotlistEntries.Where(e => e.AddedVersion > current.BaseVersion);
                        if (await changed.CountAsync() <= MostAdded)
                            built = current with { Matcher = current.Matcher.Base.With(await HotlistQueries.ActiveEntries(db, now, changed).ToListAsync()), Version = version };
                    }
                    built ??= new Generation(new PlateMatcher(await HotlistQueries.ActiveEntries(db, now).ToListAsync()), version, version,
                        clock.GetTimestamp());
                    _current = built;
                    return built;
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "Building the hotlist matcher failed; the current one keeps matching and the next batch tries again");
                    e.Data[BuildFailureLogged] = true;   // once: every caller that waited for the build gets this exception
                    throw;
                }
                finally
                {
                    lock (_gate)
                        _building = null;
                }
            });
    }
}

internal static class HotlistQueries
{
    /// <summary>The lists' version, as an SQL expression (<c>plates.hotlist_version</c>; 0 before the first change).</summary>
    public const string Version = "coalesce((SELECT version FROM plates.hotlist_version WHERE id = 1), 0)";

    /// <summary>The lists' version as this transaction sees it (after its own changes, the version they bumped to).</summary>
    public static Task<long> VersionAsync(PlatesDbContext db, CancellationToken ct) =>
        db.Database.SqlQueryRaw<long>("SELECT " + Version + " AS \"Value\"").SingleAsync(ct);

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
