using Microsoft.Extensions.Options;

namespace SafeCities.Tests.Infrastructure;

/// <summary>
/// Options a test sets for the app until disposed: the code reads them through <c>IOptionsMonitor</c>, whose cached value this replaces, so
/// the production code path decides. The tests of the collection run one after another, so no other test sees it; disposing drops the
/// value, and the next read binds the configuration again.
/// </summary>
public static class OptionsOverride
{
    public static IDisposable Override<TOptions>(this AppFixture app, TOptions value) where TOptions : class
    {
        var cache = app.Services.GetRequiredService<IOptionsMonitorCache<TOptions>>();
        cache.TryRemove(Options.DefaultName);
        Assert.True(cache.TryAdd(Options.DefaultName, value));
        return new Restore<TOptions>(cache);
    }

    private sealed class Restore<TOptions>(IOptionsMonitorCache<TOptions> cache) : IDisposable where TOptions : class
    {
        public void Dispose() => cache.TryRemove(Options.DefaultName);
    }
}
