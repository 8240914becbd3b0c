using System.Diagnostics;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace SafeCities.Modules.Shared.Security;

/// <summary>
/// A fixed-window limit whose counts live in PostgreSQL (<c>platform.rate_limit_windows</c>, one row per key and window), so every node of the
/// app counts against the same permits: an address that spreads its submissions over several nodes behind the proxy gets no more than one
/// node would give it. Each acquisition is one upsert (<c>INSERT … ON CONFLICT DO UPDATE … RETURNING count</c>, atomic under concurrency);
/// the synchronous path never grants, so ASP.NET's middleware always takes the asynchronous one. Rows older than a day are deleted by
/// <see cref="PurgeAsync"/>. Use it through <see cref="Partition"/> in a rate-limiter policy.
/// </summary>
internal sealed class SharedWindowRateLimiter(NpgsqlDataSource dataSource, TimeProvider clock, string key, int permits, TimeSpan window) : RateLimiter
{
    private readonly Stopwatch idle = Stopwatch.StartNew();

    /// <summary>A partition of a rate-limiter policy counted in PostgreSQL: <paramref name="scope"/> names the limit ("citizen-reports"), <paramref name="key"/> who is limited.</summary>
    public static RateLimitPartition<string> Partition(HttpContext context, string scope, string key, int permits, TimeSpan window) =>
        RateLimitPartition.Get($"{scope}|{key}", k => new SharedWindowRateLimiter(context.RequestServices.GetRequiredService<NpgsqlDataSource>(),
            context.RequestServices.GetRequiredService<TimeProvider>(), k, Math.Max(1, permits), window > TimeSpan.Zero ? window : TimeSpan.FromMinutes(1)));

    /// <summary>Deletes the windows that ended more than a day ago; answers how many.</summary>
    public static async Task<int> PurgeAsync(NpgsqlDataSource dataSource, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM platform.rate_limit_windows WHERE window_end < @before");
        command.Parameters.AddWithValue("before", now.AddDays(-1));
        return await command.ExecuteNonQueryAsync(ct);
    }

    public override TimeSpan? IdleDuration => idle.Elapsed;

    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount) => Lease.NotHere;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        idle.Restart();
        var now = clock.GetUtcNow();
        var start = new DateTimeOffset(now.UtcTicks - now.UtcTicks % window.Ticks, TimeSpan.Zero);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO platform.rate_limit_windows (key, window_start, window_end, count) VALUES (@key, @start, @end, @permits)
            ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limit_windows.count + excluded.count
            RETURNING count
            """);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("start", start);
        command.Parameters.AddWithValue("end", start + window);
        command.Parameters.AddWithValue("permits", permitCount);
        var count = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
        return count <= permits ? Lease.Granted : new Lease(false, start + window - now);
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Granted = new(true, null);
        public static readonly Lease NotHere = new(false, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
            return metadata is not null;
        }
    }
}

/// <summary>One key's count in one window of a <see cref="SharedWindowRateLimiter"/> (the table is the platform's; rows are written by SQL only).</summary>
internal sealed class RateLimitWindow
{
    public required string Key { get; init; }
    public DateTimeOffset WindowStart { get; init; }
    public DateTimeOffset WindowEnd { get; init; }
    public int Count { get; init; }
}

/// <summary>Daily (Hangfire <c>platform:purge-rate-limit-windows</c>): the windows that ended more than a day ago.</summary>
internal sealed class PurgeRateLimitWindowsJob(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public Task RunAsync(CancellationToken ct) => SharedWindowRateLimiter.PurgeAsync(dataSource, clock.GetUtcNow(), ct);
}
