using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Primitives;
using Npgsql;

namespace SafeCities.Modules.Shared.Caching;

/// <summary>
/// Short-lived per-node caches (API keys, settings, the hotlist matcher) that every node drops as soon as the data changes. A change,
/// once committed, calls <see cref="InvalidateAsync"/>: the entry is removed here and a PostgreSQL <c>NOTIFY</c> goes out on one channel;
/// every node (this one too) <c>LISTEN</c>s on a connection of its own and removes the entry when it arrives, within milliseconds. It
/// works the same with one node or many and needs nothing but the database (docs/adr/0010-two-nodes.md).
/// While this node is not listening (start-up, a lost connection) nothing is cached; on (re)connecting every entry is dropped, since a
/// notification may have been missed meanwhile. A load that overlapped an invalidation is not cached (it may have read the old row).
/// The time-to-live stays as the last resort.
/// </summary>
public sealed class CacheInvalidation(IMemoryCache memory, NpgsqlDataSource dataSource, IServiceScopeFactory scopes, ILogger<CacheInvalidation> logger)
    : BackgroundService
{
    public const string Channel = "safecities_cache";
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);
    private readonly Lock gate = new();
    private long generation;                         // +1 on every invalidation, here or from another node
    private CancellationTokenSource epoch = new();   // cancelled to drop every entry at once
    private volatile bool listening;

    /// <summary>True while notifications from other nodes are being received (entries are cached only then).</summary>
    public bool Listening => listening;

    /// <summary>
    /// The cached value, or the one <paramref name="load"/> reads with a <typeparamref name="TSource"/> (a module's DbContext) of a scope
    /// made for the load only (cached for <paramref name="timeToLive"/> unless it overlapped an invalidation). The caller holds no DbContext:
    /// a value read on every request and almost always cached (an API key, a batch's settings) costs none — building one a request
    /// for nothing was about 2 % of the app's CPU in plates-ingest (ADR 0057, tenth pass).
    /// </summary>
    public Task<T> GetOrLoadAsync<TSource, T>(string key, TimeSpan timeToLive, Func<TSource, CancellationToken, Task<T>> load, CancellationToken ct)
        where TSource : notnull =>
        memory.TryGetValue(key, out T? cached) ? Task.FromResult(cached!) : LoadAsync(key, timeToLive, load, ct);

    private async Task<T> LoadAsync<TSource, T>(string key, TimeSpan timeToLive, Func<TSource, CancellationToken, Task<T>> load, CancellationToken ct)
        where TSource : notnull
    {
        long before;
        IChangeToken expiry;
        lock (gate)
            (before, expiry) = (generation, new CancellationChangeToken(epoch.Token));
        T value;
        await using (var scope = scopes.CreateAsyncScope())
            value = await load(scope.ServiceProvider.GetRequiredService<TSource>(), ct);
        lock (gate)
        {
            if (listening && generation == before && timeToLive > TimeSpan.Zero)
                memory.Set(key, value, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = timeToLive, ExpirationTokens = { expiry } });
        }
        return value;
    }

    /// <summary>
    /// Drops <paramref name="key"/> on this node at once and on every other node when the notification arrives. Call it after the change
    /// is committed. It takes no cancellation token: a committed change is announced even if the request that made it was aborted.
    /// </summary>
    public async Task InvalidateAsync(string key)
    {
        Drop(key);
        try
        {
            await using var notify = dataSource.CreateCommand("SELECT pg_notify($1, $2)");
            notify.Parameters.Add(new NpgsqlParameter { Value = Channel });
            notify.Parameters.Add(new NpgsqlParameter { Value = key });
            await notify.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            logger.LogWarning(e, "Could not tell the other nodes to drop {Key}; they drop it when its cache time ends", key);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => Drop(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                DropEverything(listen: true);
                retry = TimeSpan.FromSeconds(1);
                while (true)
                {
                    // Notifications arrive while waiting; a quiet half minute is followed by a round trip, so a dead connection is noticed.
                    if (!await connection.WaitAsync(TimeSpan.FromSeconds(30), stoppingToken))
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1", connection) { CommandTimeout = 10 };
                        await ping.ExecuteNonQueryAsync(stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                DropEverything(listen: false);
                logger.LogWarning(e, "Not receiving cache invalidations; nothing is cached until they are received again (retrying in {Seconds} s)",
                    retry.TotalSeconds);
            }
            try
            {
                await Task.Delay(retry, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LongestRetry.Ticks));
        }
    }

    private void Drop(string key)
    {
        lock (gate)
        {
            generation++;
            memory.Remove(key);
        }
    }

    private void DropEverything(bool listen)
    {
        lock (gate)
        {
            generation++;
            listening = listen;
            epoch.Cancel();
            epoch = new CancellationTokenSource();
        }
    }
}

public static class CacheInvalidationSetup
{
    /// <summary>Registers <see cref="CacheInvalidation"/> (and its listener) once, however many modules ask for it.</summary>
    public static IServiceCollection AddCacheInvalidation(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.TryAddSingleton<CacheInvalidation>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, CacheInvalidation>(sp => sp.GetRequiredService<CacheInvalidation>()));
        return services;
    }
}
