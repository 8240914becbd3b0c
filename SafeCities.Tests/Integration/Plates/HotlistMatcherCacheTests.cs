using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Features;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Tests.Integration.Plates;

/// <summary>
/// ADR 0062: a change of the lists never holds ingestion up. Batches keep matching with the node's matcher while its successor
/// is built in the background, and their reads are checked again by the successor; a hit on an entry withdrawn meanwhile is refused; a
/// change waits at its commit for the batches under way, so that its look-back finds their reads.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class HotlistMatcherCacheTests(AppFixture app)
{
    private static readonly string CatchUp = typeof(HotlistCatchUpOwed).FullName!;

    [Fact]
    public async Task A_matcher_is_kept_while_the_lists_are_unchanged_and_after_a_change_until_a_batch_sees_it_then_rebuilt_in_the_background()
    {
        var cache = new HotlistMatcherCache(app.Services.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System,
            NullLogger<HotlistMatcherCache>.Instance);
        var list = await app.CreateHotlistAsync();
        var plate = HotlistKit.Plate();
        var first = await cache.GetAsync(CancellationToken.None);

        // Unchanged lists: asking for the current version, or announcing a change that did not happen, builds nothing.
        Assert.Same(first, await cache.AtLeastAsync(await VersionAsync(), CancellationToken.None));
        await cache.ChangedAsync();
        Assert.Same(first, await cache.GetAsync(CancellationToken.None));

        // A change nobody built yet (as another node's): the old matcher is answered at once, without it.
        await app.EntryStoredWithoutLookBackAsync(list, plate);
        var version = await VersionAsync();
        Assert.True(version > first.Version);
        Assert.Same(first, await cache.GetAsync(CancellationToken.None));
        Assert.Empty(first.Matcher.Match(plate, "DC", DateTimeOffset.UtcNow));

        // A batch that read the new version starts the build; meanwhile the old one is still answered; the new one holds the change.
        cache.Saw(version);
        var rebuilt = await cache.AtLeastAsync(version, CancellationToken.None);
        Assert.NotSame(first, rebuilt);
        Assert.Single(rebuilt.Matcher.Match(plate, "DC", DateTimeOffset.UtcNow));
        Assert.Same(rebuilt, await cache.GetAsync(CancellationToken.None));
        // One plate listed: added to the matcher built from the full lists, which is kept (not a million entries built again).
        Assert.Same(first.Matcher.Base, rebuilt.Matcher.Base);
        Assert.Equal(first.BaseVersion, rebuilt.BaseVersion);
        await app.ExecuteAsync($"DELETE FROM plates.hotlist_entries WHERE hotlist_id = '{list}'");
    }

    [Fact]
    public async Task A_failed_rebuild_after_a_change_is_logged_once_and_a_failed_version_read_once_too()
    {
        // The entries cannot be read: the build fails after the change announced it, and only the build says so (it said so twice).
        var buildFails = new FakeLogger<HotlistMatcherCache>();
        await new HotlistMatcherCache(new FailingPlatesScopes(app.Services, "hotlist_entries"), TimeProvider.System, buildFails).ChangedAsync();
        var build = Assert.Single(buildFails.Collector.GetSnapshot(), r => r.Level >= LogLevel.Warning);
        Assert.StartsWith("Building the hotlist matcher failed", build.Message);
        Assert.IsType<NpgsqlException>(build.Exception);

        // The version cannot be read: no build starts, and the change's own warning is the one.
        var versionFails = new FakeLogger<HotlistMatcherCache>();
        await new HotlistMatcherCache(new FailingPlatesScopes(app.Services, "hotlist_version"), TimeProvider.System, versionFails).ChangedAsync();
        var change = Assert.Single(versionFails.Collector.GetSnapshot(), r => r.Level >= LogLevel.Warning);
        Assert.StartsWith("The hotlist matcher was not rebuilt after a change", change.Message);
        Assert.IsType<NpgsqlException>(change.Exception);
    }

    [Fact]
    public async Task Past_its_lifetime_the_full_lists_are_built_again_and_an_entry_withdrawn_since_leaves_the_matcher()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var cache = new HotlistMatcherCache(app.Services.GetRequiredService<IServiceScopeFactory>(), clock, NullLogger<HotlistMatcherCache>.Instance);
        var list = await app.CreateHotlistAsync();
        var (withdrawn, listed) = (HotlistKit.Plate(), HotlistKit.Plate());
        await app.EntryStoredWithoutLookBackAsync(list, withdrawn);
        var first = await cache.AtLeastAsync(await VersionAsync(), CancellationToken.None);
        Assert.Single(first.Matcher.Match(withdrawn, "DC", clock.GetUtcNow()));

        // Withdrawn, then another plate listed, within the base's lifetime: added to the base, which still holds the withdrawn entry
        // (the hit recorder refuses its hits).
        await app.ExecuteAsync($"UPDATE plates.hotlist_entries SET withdrawn_at = now() WHERE hotlist_id = '{list}' AND plate = '{withdrawn}'");
        await app.EntryStoredWithoutLookBackAsync(list, listed);
        var added = await cache.AtLeastAsync(await VersionAsync(), CancellationToken.None);
        Assert.Same(first.Matcher.Base, added.Matcher.Base);
        Assert.Single(added.Matcher.Match(withdrawn, "DC", clock.GetUtcNow()));

        // Eleven minutes on, the next change builds the full lists: a new base, without the withdrawn entry.
        clock.Advance(TimeSpan.FromMinutes(11));
        await app.ExecuteAsync($"UPDATE plates.hotlists SET reason = 'Stolen vehicle (confirmed)' WHERE id = '{list}'");
        var full = await cache.AtLeastAsync(await VersionAsync(), CancellationToken.None);
        Assert.NotSame(first.Matcher.Base, full.Matcher.Base);
        Assert.Equal(full.Version, full.BaseVersion);
        Assert.Empty(full.Matcher.Match(withdrawn, "DC", clock.GetUtcNow()));
        Assert.Single(full.Matcher.Match(listed, "DC", clock.GetUtcNow()));
        await app.ExecuteAsync($"DELETE FROM plates.hotlist_entries WHERE hotlist_id = '{list}'");
    }

    [Fact]
    public async Task Reads_sent_while_the_matcher_is_rebuilt_are_stored_at_once_and_their_hits_found_by_the_new_matcher()
    {
        var (lat, lon) = Api.Place();
        var (reader, key) = await app.RegisterReaderAsync(lat, lon);
        var list = await app.CreateHotlistAsync();
        await app.AddEntryAsync(list, HotlistKit.Plate());   // this node's matcher now holds the lists
        var plate = HotlistKit.Plate();
        await app.EntryStoredWithoutLookBackAsync(list, plate, "DC");   // listed as on another node: not built here

        // The entries cannot be read, so no new matcher can be built until the lock goes.
        await using (var hold = await HoldAsync("LOCK TABLE plates.hotlist_entries IN ACCESS EXCLUSIVE MODE"))
        {
            var sent = app.SendReadsAsync(key, PlatesKit.Read("r1", plate, DateTimeOffset.UtcNow.AddSeconds(-3)));
            // Before: every batch waited for the new matcher (here for good).
            Assert.Equal((1, 0), await sent.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM plates.hotlist_hits WHERE read_plate = '{plate}'"));
            Assert.Equal(1, await app.CountAsync($"""
                SELECT count(*) FROM plates.outbox_messages
                WHERE type = '{CatchUp}' AND payload->>'readerId' = '{reader}' AND dispatched_at IS NULL
                """));
        }

        // Once it is built, the batch's read is checked again: the hit as ingestion records it (not a look-back's).
        var hit = await app.HitEventuallyAsync(plate);
        Assert.Equal(("exact", false), (hit["matchKind"]!.GetValue<string>(), hit["retroactive"]!.GetValue<bool>()));
        await UntilAsync(async () => await CaughtUpAsync(reader));
    }

    [Fact]
    public async Task A_matcher_built_before_a_withdrawal_elsewhere_records_no_hit_on_the_withdrawn_entry()
    {
        var (lat, lon) = Api.Place();
        var (reader, key) = await app.RegisterReaderAsync(lat, lon);
        var list = await app.CreateHotlistAsync();
        var (withdrawn, listed) = (HotlistKit.Plate(), HotlistKit.Plate());
        await app.AddEntryAsync(list, withdrawn);
        await app.AddEntryAsync(list, listed);   // this node's matcher holds both
        // Withdrawn on another node: this node's matcher still holds it until a batch sees the change.
        await app.ExecuteAsync($"UPDATE plates.hotlist_entries SET withdrawn_at = now() WHERE hotlist_id = '{list}' AND plate = '{withdrawn}'");

        var now = DateTimeOffset.UtcNow;
        Assert.Equal((2, 0), await app.SendReadsAsync(key, PlatesKit.Read("w", withdrawn, now.AddSeconds(-2)), PlatesKit.Read("l", listed, now.AddSeconds(-1))));

        // The listed plate's hit is stored with the read; the withdrawn one's is refused by the database, and the batch's catch-up by
        // the new matcher (delivered after) adds none either.
        Assert.Single(await app.HitsAsync(listed));
        Assert.Empty(await app.HitsAsync(withdrawn));
        await UntilAsync(async () => await CaughtUpAsync(reader));
        Assert.Empty(await app.HitsAsync(withdrawn));
    }

    [Fact]
    public async Task A_change_of_the_lists_waits_at_its_commit_for_a_batch_under_way_and_its_look_back_finds_the_batchs_read()
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon);
        var list = await app.CreateHotlistAsync();
        var now = DateTimeOffset.UtcNow;
        await app.AddEntryAsync(list, HotlistKit.Plate());
        await app.SendReadsAsync(key, PlatesKit.Read("warm", HotlistKit.Plate(), now.AddSeconds(-5)));   // today's partition exists
        var plate = HotlistKit.Plate();

        Task<JsonNode> listing;
        await using (var hold = await HoldAsync("LOCK TABLE plates.plate_reads IN SHARE MODE"))
        {
            // A batch under way: it has read the lists (before the change) and waits to store its read.
            var sent = app.SendReadsAsync(key, PlatesKit.Read("r", plate, now.AddSeconds(-2)));
            await UntilAsync(() => WaitingAsync("locktype = 'relation' AND relation = 'plates.plate_reads'::regclass"));

            // The plate is listed meanwhile: the listing's commit waits for the batch.
            listing = app.AddEntryAsync(list, plate);
            await UntilAsync(() => WaitingAsync($"""
                locktype = 'advisory' AND mode = 'ExclusiveLock'
                AND ((classid::bigint << 32) | objid::bigint) = {AdvisoryLocks.PlatesHotlistChange}
                """));
            Assert.False(listing.IsCompleted);
            Assert.False(sent.IsCompleted);
            await hold.DisposeAsync();
            Assert.Equal((1, 0), await sent.WaitAsync(TimeSpan.FromSeconds(30)));
        }

        // Committed after the batch, the listing's look-back found its read. Without the wait it looked back before the read was stored,
        // and the batch, which had read the lists before the listing, never checked it again: no hit at all.
        var entry = await listing.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, entry["retroactiveHits"]!.GetValue<int>());
        Assert.True(Assert.Single(await app.HitsAsync(plate))!["retroactive"]!.GetValue<bool>());
    }

    [Fact]
    public async Task An_import_marks_as_new_only_the_entries_it_lists_anew_or_with_another_expiry_so_nodes_add_only_those()
    {
        var list = await app.CreateHotlistAsync(kind: "ncic-stolen");
        var (same, later, dropped, fresh) = (HotlistKit.Plate(), HotlistKit.Plate(), HotlistKit.Plate(), HotlistKit.Plate());
        var (expiry, other) = (DateTimeOffset.UtcNow.AddDays(30).ToString("yyyy-MM-dd"), DateTimeOffset.UtcNow.AddDays(60).ToString("yyyy-MM-dd"));
        Assert.Equal(HttpStatusCode.OK, (await app.PostImportAsync(list, $"plate,region,expires\n{same},DC,{expiry}\n{later},DC,{expiry}\n{dropped},DC,\n")).StatusCode);
        var before = await VersionAsync();

        Assert.Equal(HttpStatusCode.OK, (await app.PostImportAsync(list, $"plate,region,expires\n{same},DC,{expiry}\n{later},DC,{other}\n{fresh},DC,\n")).StatusCode);

        // The plate listed anew and the one whose expiry changed carry the import's version; the unchanged one keeps its own, so a node's
        // matcher adds two entries, not the list (an import of the same 600,000 NCIC lines added them all, as long as a full build).
        Assert.Equal(new[] { later, fresh }.Order(), await PlatesAsync($"hotlist_id = '{list}' AND added_version > {before}"));
        Assert.Equal([same], await PlatesAsync($"hotlist_id = '{list}' AND added_version <= {before}"));
    }

    private async Task<string[]> PlatesAsync(string condition)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand($"SELECT plate FROM plates.hotlist_entries WHERE {condition} ORDER BY plate", connection);
        var plates = new List<string>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            plates.Add(reader.GetString(0));
        return [.. plates];
    }

    /// <summary>A transaction of the test's own holding what <paramref name="lockSql"/> takes until it is disposed (rolled back).</summary>
    private async Task<Held> HoldAsync(string lockSql)
    {
        var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand(lockSql, connection, transaction))
            await take.ExecuteNonQueryAsync();
        return new Held(connection, transaction);
    }

    private sealed class Held(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        private bool _released;

        public async ValueTask DisposeAsync()
        {
            if (_released)
                return;
            _released = true;
            await transaction.RollbackAsync();
            await connection.DisposeAsync();
        }
    }

    private async Task<bool> WaitingAsync(string condition) =>
        await app.CountAsync($"SELECT count(*) FROM pg_locks WHERE NOT granted AND {condition}") > 0;

    /// <summary>Scopes whose <see cref="PlatesDbContext"/> fails every statement naming <paramref name="table"/>, as a broken database would.</summary>
    private sealed class FailingPlatesScopes(IServiceProvider services, string table) : IServiceScopeFactory
    {
        private readonly DbContextOptions<PlatesDbContext> failing = new DbContextOptionsBuilder<PlatesDbContext>(
            services.GetRequiredService<DbContextOptions<PlatesDbContext>>()).AddInterceptors(new Failing(table)).Options;

        public IServiceScope CreateScope() => new Scope(services.CreateScope(), new PlatesDbContext(failing));

        /// <summary>The app's scope with the failing context in place of its own, disposed with it as the scope's own would be.</summary>
        private sealed class Scope(IServiceScope inner, PlatesDbContext db) : IServiceScope, IServiceProvider
        {
            public IServiceProvider ServiceProvider => this;

            public object? GetService(Type serviceType) => serviceType == typeof(PlatesDbContext) ? db : inner.ServiceProvider.GetService(serviceType);

            public void Dispose()
            {
                db.Dispose();
                inner.Dispose();
            }
        }

        private sealed class Failing(string table) : DbCommandInterceptor
        {
            public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
                InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
                command.CommandText.Contains(table, StringComparison.Ordinal) ? throw new NpgsqlException($"{table} cannot be read (test)") : ValueTask.FromResult(result);
        }
    }

    private async Task<long> VersionAsync() => await app.CountAsync($"SELECT {HotlistQueries.Version}");

    /// <summary>The catch-up of the reader's batch (one in these tests) has been delivered.</summary>
    private async Task<bool> CaughtUpAsync(Guid reader) => await app.CountAsync($"""
        SELECT count(*) FROM plates.outbox_messages
        WHERE type = '{CatchUp}' AND payload->>'readerId' = '{reader}' AND dispatched_at IS NOT NULL
        """) == 1;

    private static Task UntilAsync(Func<Task<bool>> condition) => Poll.UntilAsync(condition, TimeSpan.FromSeconds(15), "the awaited state", 100);
}
