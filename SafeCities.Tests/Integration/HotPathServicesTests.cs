using FluentValidation;
using Microsoft.EntityFrameworkCore;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Features;
using SafeCities.Modules.Platform.ApiKeys;
using SafeCities.Modules.Sensors.Environment;
using SafeCities.Modules.Shared.Caching;

namespace SafeCities.Tests.Integration;

/// <summary>
/// What every request or batch goes through is one for the app and holds no DbContext: the API key check, Plates' settings, Sensors'
/// threshold rules (cached reads that load through a scope of their own, only on a miss) and the plate batch validator. Building a
/// context or the validator's rules for every request was about 4 % of the app's CPU in plates-ingest (ADR 0057, tenth pass).
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class HotPathServicesTests(AppFixture app)
{
    [Fact]
    public async Task The_key_check_cached_settings_and_the_batch_validator_are_one_for_the_app_and_take_no_DbContext()
    {
        Type[] types = [typeof(ApiKeyAuthenticator), typeof(PlatesSettingsStore), typeof(ThresholdRuleCache), typeof(IValidator<IngestPlateReadsCommand>)];
        var first = await app.InScopeAsync(sp => Task.FromResult(types.Select(sp.GetRequiredService).ToArray()));
        var second = await app.InScopeAsync(sp => Task.FromResult(types.Select(sp.GetRequiredService).ToArray()));
        for (var i = 0; i < types.Length; i++)
        {
            Assert.Same(first[i], second[i]);
            var parameters = first[i].GetType().GetConstructors().SelectMany(c => c.GetParameters()).ToList();
            Assert.NotEmpty(parameters);
            Assert.DoesNotContain(parameters, p => typeof(DbContext).IsAssignableFrom(p.ParameterType));
        }

        // And they still do their work: a key is recognised (and a wrong one is not), the settings are read.
        var key = await app.CreateClientKeyAsync(Roles.Analyst);
        var authenticator = (ApiKeyAuthenticator)first[0];
        var principal = await authenticator.AuthenticateAsync(key, "test", default);
        Assert.True(principal?.IsInRole(Roles.Analyst));
        Assert.Null(await authenticator.AuthenticateAsync(key[..^1] + (key[^1] == 'A' ? 'B' : 'A'), "test", default));
        Assert.InRange((await ((PlatesSettingsStore)first[1]).GetAsync(default)).MaxBatchSize, 1, 5000);
    }

    [Fact]
    public async Task A_cached_read_loads_with_a_context_of_a_scope_of_its_own_only_on_a_miss_and_again_after_an_invalidation()
    {
        var cache = app.Services.GetRequiredService<CacheInvalidation>();
        await Poll.UntilAsync(() => cache.Listening, TimeSpan.FromSeconds(30), "the cache listening for invalidations");
        var key = $"test:{Guid.NewGuid():N}";
        var loads = new List<PlatesDbContext>();
        Task<long> Read() => cache.GetOrLoadAsync<PlatesDbContext, long>(key, TimeSpan.FromMinutes(5), async (db, ct) =>
        {
            loads.Add(db);
            return await db.Settings.LongCountAsync(ct) + loads.Count * 1000;
        }, default);

        var loaded = await Read();
        Assert.Single(loads);
        Assert.Equal(loaded, await Read());   // cached: no second load
        Assert.Single(loads);
        // The load's context belonged to a scope made for it and disposed with it.
        Assert.Throws<ObjectDisposedException>(() => loads[0].Settings.Count());

        await cache.InvalidateAsync(key);
        var reloaded = await Read();
        Assert.Equal(2, loads.Count);
        Assert.Equal(loaded + 1000, reloaded);
        Assert.NotSame(loads[0], loads[1]);
    }
}
