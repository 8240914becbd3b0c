using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;

namespace SafeCities.Modules.Shared.Caching;

/// <summary>
/// Figures shown to the public (transparency page, agencies' reads, the annual report): computed at most every 10 minutes per node and
/// one computation of a key at a time, whatever the number of visitors. They are counts that may lag by that much, so no invalidation.
/// </summary>
public static class PublicFigures
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    public static async Task<T> GetAsync<T>(this IMemoryCache cache, string key, Func<CancellationToken, Task<T>> build, CancellationToken ct)
    {
        if (cache.TryGetValue(key, out T? cached))
            return cached!;
        var gate = Gates.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            if (cache.TryGetValue(key, out cached))
                return cached!;
            var value = await build(ct);
            cache.Set(key, value, Lifetime);
            return value;
        }
        finally
        {
            gate.Release();
        }
    }
}
