using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace SafeCities.Modules.Shared.Persistence;

public static class ModulePersistence
{
    public const string ConnectionStringName = "SafeCities";
    public const string HistoryTable = "__ef_migrations_history";

    public static string ConnectionString(this IConfiguration config) =>
        config.GetConnectionString(ConnectionStringName)
        ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not configured.");

    /// <summary>One pooled data source for the whole process (PostGIS types enabled), shared by every module context.</summary>
    public static IServiceCollection AddSafeCitiesDataSource(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(_ => BuildDataSource(config));
        services.AddHostedService<DatabaseMigrator>();
        return services.AddModuleDbContext<Audit.AuditDbContext>(Audit.AuditDbContext.Schema);
    }

    /// <summary>
    /// A pool on the app's database with the app's session settings. <paramref name="noResetOnClose"/>: a connection goes back to the pool
    /// without the reset that clears session state (<c>SET SESSION AUTHORIZATION DEFAULT; RESET ALL; UNLISTEN *; …</c>, sent with the
    /// next statement): only for a pool whose sessions set no session state — no <c>SET</c>, no session-level advisory lock, no
    /// <c>LISTEN</c>, no temporary table (plate ingestion's, ADR 0057).
    /// </summary>
    internal static NpgsqlDataSource BuildDataSource(IConfiguration config, bool noResetOnClose = false)
    {
        var builder = new NpgsqlDataSourceBuilder(config.ConnectionString());
        builder.UseNetTopologySuite();
        // PostgreSQL's JIT spent 232 ms compiling a 6 ms co-location statement at 10 M reads: the app's statements are
        // short and planned often, so JIT only adds latency (see README, Deployment).
        var options = builder.ConnectionStringBuilder.Options;
        builder.ConnectionStringBuilder.Options = string.IsNullOrWhiteSpace(options) ? "-c jit=off" : $"{options} -c jit=off";
        if (noResetOnClose)
            builder.ConnectionStringBuilder.NoResetOnClose = true;
        return builder.Build();
    }

    /// <summary>Registers a module's DbContext on its own schema, with its own migrations history table, and schedules its migrations at start-up.</summary>
    public static IServiceCollection AddModuleDbContext<TContext>(this IServiceCollection services, string schema)
        where TContext : DbContext
    {
        // The options are built once (singleton), not for every scope: they depend on singletons only (the data source, the outbox's
        // interceptor), and building them for every scope was 2 % of the app's CPU in plates-ingest (perf: every batch, delivery and page).
        services.AddDbContext<TContext>((sp, options) =>
            {
                options.UseModuleDatabase(sp.GetRequiredService<NpgsqlDataSource>(), schema);
                // In the test host a query capped without an order (which rows it returns is left to the plan) fails its test; elsewhere
                // EF logs it as a warning. The suite ran once with this and found two (the intelligence search's identifier and address arms).
                if (sp.GetRequiredService<IHostEnvironment>().IsEnvironment("Testing"))
                    options.ConfigureWarnings(w => w.Throw(CoreEventId.RowLimitingOperationWithoutOrderByWarning));
            },
            ServiceLifetime.Scoped, ServiceLifetime.Singleton);
        services.AddSingleton(new ModuleDatabase(typeof(TContext)));
        return services;
    }

    public static DbContextOptionsBuilder UseModuleDatabase(this DbContextOptionsBuilder options, NpgsqlDataSource dataSource, string schema) =>
        options.UseNpgsql(dataSource, npgsql =>
            {
                npgsql.UseNetTopologySuite();
                npgsql.MigrationsHistoryTable(HistoryTable, schema);
            })
            .UseSnakeCaseNamingConvention();

    public static bool IsUniqueViolation(this DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}

public sealed record ModuleDatabase(Type ContextType);
