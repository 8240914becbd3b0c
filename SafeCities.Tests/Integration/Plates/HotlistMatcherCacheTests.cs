using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using SafeCities.Modules.Plates;
using SafeCities.Modules.Plates.Domain;
using SafeCities.Modules.Plates.Features;
using SafeCities.Modules.Shared.Caching;

namespace SafeCities.Tests.Integration.Plates;

/// <summary>
/// ADR 0049: an old matcher keeps matching while its successor is built in the background (ingestion never waits for a rebuild),
/// and an invalidation still makes the next read wait for a matcher that holds the change.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class HotlistMatcherCacheTests(AppFixture app)
{
    [Fact]
    public async Task An_old_matcher_is_served_while_it_is_rebuilt_and_an_invalidation_waits_for_the_new_one()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var cache = new HotlistMatcherCache(app.Services.GetRequiredService<CacheInvalidation>(), clock,
            Options.Create(new HotlistOptions { MatcherCacheSeconds = 30 }), app.Services.GetRequiredService<IServiceScopeFactory>(),
            NullLogger<HotlistMatcherCache>.Instance);
        var list = await app.CreateHotlistAsync();
        var (quiet, later) = (HotlistKit.Plate(), HotlistKit.Plate());
        try
        {
            var first = await SettledAsync(cache);

            // A change nobody announced (as if its notification were lost): the matcher is young, so it stays.
            await InsertEntryAsync(list, quiet);
            Assert.Same(first, await cache.GetAsync(CancellationToken.None));
            Assert.Empty(first.Match(quiet, "DC", clock.GetUtcNow()));

            // Past its age the old one is answered at once, and its successor (built in the background) replaces it.
            clock.Advance(TimeSpan.FromSeconds(31));
            Assert.Same(first, await cache.GetAsync(CancellationToken.None));
            var rebuilt = first;
            for (var i = 0; i < 200 && ReferenceEquals(rebuilt, first); i++)
            {
                await Task.Delay(50);
                rebuilt = await cache.GetAsync(CancellationToken.None);
            }
            Assert.NotSame(first, rebuilt);
            Assert.Single(rebuilt.Match(quiet, "DC", clock.GetUtcNow()));

            // An announced change: the very next read gets a matcher that holds it.
            await InsertEntryAsync(list, later);
            await cache.InvalidateAsync();
            Assert.Single((await cache.GetAsync(CancellationToken.None)).Match(later, "DC", clock.GetUtcNow()));
        }
        finally
        {
            await using var connection = new NpgsqlConnection(app.ConnectionString);
            await connection.OpenAsync();
            await using var delete = new NpgsqlCommand("DELETE FROM plates.hotlist_entries WHERE hotlist_id = $1", connection) { Parameters = { new() { Value = list } } };
            await delete.ExecuteNonQueryAsync();
            await cache.InvalidateAsync();
        }
    }

    [Fact]
    public async Task An_old_matcher_is_kept_without_a_rebuild_while_no_list_changed()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var cache = new HotlistMatcherCache(app.Services.GetRequiredService<CacheInvalidation>(), clock,
            Options.Create(new HotlistOptions { MatcherCacheSeconds = 30 }), app.Services.GetRequiredService<IServiceScopeFactory>(),
            NullLogger<HotlistMatcherCache>.Instance);
        var first = await SettledAsync(cache);

        // Past its age, with the lists unchanged (ADR 0057): the version is checked, and the same matcher stays.
        for (var i = 0; i < 3; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(31));
            Assert.Same(first, await cache.GetAsync(CancellationToken.None));
            await Task.Delay(300);
            Assert.Same(first, await cache.GetAsync(CancellationToken.None));
        }
    }

    /// <summary>A matcher that stays cached (an invalidation's own notification, arriving during a load, keeps that load from being cached).</summary>
    private static async Task<PlateMatcher> SettledAsync(HotlistMatcherCache cache)
    {
        await cache.InvalidateAsync();
        var matcher = await cache.GetAsync(CancellationToken.None);
        for (var i = 0; i < 100; i++)
        {
            await Task.Delay(50);
            var again = await cache.GetAsync(CancellationToken.None);
            if (ReferenceEquals(again, matcher))
                return matcher;
            matcher = again;
        }
        throw new InvalidOperationException("the matcher never stayed cached");
    }

    private async Task InsertEntryAsync(Guid list, string plate)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand(
            "INSERT INTO plates.hotlist_entries (id, hotlist_id, plate, added_at) VALUES (gen_random_uuid(), $1, $2, now())", connection)
        {
            Parameters = { new() { Value = list }, new() { Value = plate } },
        };
        await insert.ExecuteNonQueryAsync();
    }
}
