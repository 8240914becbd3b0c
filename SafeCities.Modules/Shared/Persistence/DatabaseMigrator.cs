using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace SafeCities.Modules.Shared.Persistence;

/// <summary>
/// Applies every module's migrations (MigrateAsync, never EnsureCreated) before the app serves requests, then runs the
/// registered start-up tasks (role and key provisioning, demo data) in order. Nodes starting together take turns (a PostgreSQL
/// advisory lock held by this session; a killed node's session ends and frees it), so the seeding runs once.
/// </summary>
internal sealed class DatabaseMigrator(IServiceScopeFactory scopes, NpgsqlDataSource dataSource) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({AdvisoryLocks.StartUp})", connection) { CommandTimeout = 0 })
            await take.ExecuteNonQueryAsync(cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.MigrateSafeCitiesDatabasesAsync(cancellationToken);
        foreach (var task in scope.ServiceProvider.GetServices<IStartupTask>())
            await task.RunAsync(cancellationToken);
        await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({AdvisoryLocks.StartUp})", connection);
        await release.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class DatabaseMigrations
{
    /// <summary>Brings every registered module schema up to date.</summary>
    public static async Task MigrateSafeCitiesDatabasesAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseMigrations));
        foreach (var database in services.GetServices<ModuleDatabase>())
        {
            var context = (DbContext)services.GetRequiredService(database.ContextType);
            // Create the schema's history table first: otherwise, on an empty schema, EF reads the missing table once and logs a
            // (harmless) "fail:" line that would look like a real error in the operators' logs.
            await context.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
            await context.Database.MigrateAsync(cancellationToken);
            logger.LogInformation("{Context} schema is current", database.ContextType.Name);
        }
    }
}

/// <summary>Work that must run once at start-up after the schema is current (seeding, provisioning).</summary>
public interface IStartupTask
{
    Task RunAsync(CancellationToken cancellationToken);
}
