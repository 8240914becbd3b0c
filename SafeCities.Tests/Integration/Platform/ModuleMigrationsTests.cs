using Microsoft.EntityFrameworkCore;
using SafeCities.Modules.Platform.Data;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Tests.Integration.Platform;

/// <summary>
/// Every module's model is what its migrations build (moving a context or its entities to another namespace must not ask for a migration), and
/// a database migrated before Platform became a module keeps its history: the same migration ids in <c>platform.__ef_migrations_history</c>.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ModuleMigrationsTests(AppFixture app)
{
    [Fact]
    public async Task No_module_has_model_changes_without_a_migration_or_migrations_left_to_apply()
    {
        var contexts = app.Services.GetServices<ModuleDatabase>().Select(m => m.ContextType).ToList();
        Assert.Contains(typeof(PlatformDbContext), contexts);
        await using var scope = app.Services.CreateAsyncScope();
        foreach (var type in contexts)
        {
            var db = (DbContext)scope.ServiceProvider.GetRequiredService(type);
            Assert.False(db.Database.HasPendingModelChanges(), $"{type.Name} has model changes that no migration makes");
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }
    }

    [Fact]
    public async Task The_platform_schema_keeps_its_migration_history()
    {
        var (known, applied) = await app.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<PlatformDbContext>().Database;
            return (db.GetMigrations().ToList(), (await db.GetAppliedMigrationsAsync()).ToList());
        });
        Assert.Equal("20261125090956_Initial", applied[0]);
        Assert.Equal(known.Order(), applied.Order());
        Assert.Equal(known.Count, await app.CountAsync("SELECT count(*) FROM platform.__ef_migrations_history"));
    }
}
