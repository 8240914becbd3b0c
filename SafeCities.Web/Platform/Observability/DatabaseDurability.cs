using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Web.Platform.Observability;

/// <summary>
/// "200 means committed" holds only when PostgreSQL flushes its commits (README, "Deployment: the database settings production
/// needs"). This reads, on one of the app's own connections (so role, database and connection-string overrides count), the
/// settings that decide it, and the <c>jit</c> the app's connections must run with. Settings change only on a reload, so a
/// result is kept for a minute.
/// </summary>
internal sealed class DatabaseDurability(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public const string ReadmeSection = "README, \"Deployment: the database settings production needs\"";

    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);
    private (DateTimeOffset At, IReadOnlyList<UnsafeSetting> Unsafe)? last;

    /// <summary>A setting that is not as production needs it: its value and what it must be.</summary>
    public sealed record UnsafeSetting(string Name, string Value, string Required)
    {
        public override string ToString() => $"{Name}={Value} (must be {Required})";
    }

    public async Task<IReadOnlyList<UnsafeSetting>> UnsafeSettingsAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (last is { } cached && now - cached.At < CacheFor)
            return cached.Unsafe;
        var found = new List<UnsafeSetting>();
        await using var command = dataSource.CreateCommand(
            "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'jit') ORDER BY name");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var (name, value) = (reader.GetString(0), reader.GetString(1));
            var safe = name switch
            {
                // local, remote_write, on and remote_apply all flush the commit record locally before answering; only off does not.
                "synchronous_commit" => value != "off",
                "jit" => value == "off",
                _ => value == "on",
            };
            if (!safe)
                found.Add(new UnsafeSetting(name, value, name == "jit" ? "off on the app's connections" : "on"));
        }
        last = (now, found);
        return found;
    }

    public static string Describe(IReadOnlyList<UnsafeSetting> found) =>
        $"PostgreSQL is not set up as production needs: {string.Join("; ", found)}. With fsync, synchronous_commit or full_page_writes off " +
        $"a crash can lose or corrupt writes that were already acknowledged (a 200 for a plate read or a gunshot). See {ReadmeSection}.";
}

/// <summary>Readiness entry <c>database-durability</c>: <c>Degraded</c> (still 200) while a setting is unsafe.</summary>
internal sealed class DatabaseDurabilityHealthCheck(DatabaseDurability durability) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var found = await durability.UnsafeSettingsAsync(cancellationToken);
            return found.Count == 0
                ? HealthCheckResult.Healthy("fsync, synchronous_commit and full_page_writes are on; the app's connections run with jit off.")
                : HealthCheckResult.Degraded(DatabaseDurability.Describe(found));
        }
        catch (NpgsqlException ex)
        {
            // The database entry reports the outage itself; this one only cannot tell.
            return HealthCheckResult.Degraded("The database settings could not be read.", ex);
        }
    }
}

/// <summary>Outside Development, start-up names every unsafe setting in one Warning (the local cluster of scripts/pg-local runs unsafe on purpose).</summary>
internal sealed class DurabilityWarningAtStart(DatabaseDurability durability, IHostEnvironment environment, ILogger<DurabilityWarningAtStart> logger) : IStartupTask
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (environment.IsDevelopment())
            return;
        try
        {
            var found = await durability.UnsafeSettingsAsync(cancellationToken);
            if (found.Count > 0)
                logger.LogWarning("{Warning}", DatabaseDurability.Describe(found));
        }
        catch (NpgsqlException ex)
        {
            logger.LogWarning(ex, "The database's durability settings could not be checked; see {Section}", DatabaseDurability.ReadmeSection);
        }
    }
}
