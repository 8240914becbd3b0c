using System.Text.Json;
using Hangfire;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SafeCities.Modules.Shared.Persistence;
using StackExchange.Redis;

namespace SafeCities.Web.Platform.Observability;

/// <summary>
/// Liveness and readiness (README, Observability):
/// <list type="bullet">
/// <item><c>/health/live</c>: the process serves requests; it checks no dependency, so a database outage never gets a healthy
/// process restarted.</item>
/// <item><c>/health/ready</c>: every dependency (PostgreSQL, Hangfire's storage, Redis when <c>ConnectionStrings:Redis</c> is set),
/// 503 when one is unreachable, plus the database's durability settings as <c>Degraded</c> (200: the node serves, but a crash
/// may lose acknowledged writes). A JSON body lists each entry's status and duration; only administrators also see the
/// descriptions, and no one sees exception text or connection details (the log has them).</item>
/// <item><c>/health</c>: the dependencies as before, plain <c>Healthy</c>/<c>Unhealthy</c> (scripts and load balancers use it).</item>
/// </list>
/// </summary>
internal static class HealthChecks
{
    public const string Dependency = "dependency";
    public const string Ready = "ready";

    public static IServiceCollection AddSafeCitiesHealthChecks(this IServiceCollection services, IConfiguration config)
    {
        var checks = services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [Dependency, Ready])
            .AddCheck<HangfireStorageHealthCheck>("hangfire-storage", tags: [Dependency, Ready])
            .AddCheck<DatabaseDurabilityHealthCheck>("database-durability", tags: [Ready]);
        if (config.GetConnectionString("Redis") is { Length: > 0 } redis)
        {
            services.AddSingleton(new RedisProbe(redis));
            checks.AddCheck<RedisHealthCheck>("redis", tags: [Dependency, Ready]);
        }
        services.AddSingleton<DatabaseDurability>();
        services.AddScoped<IStartupTask, DurabilityWarningAtStart>();
        return services;
    }

    public static WebApplication MapSafeCitiesHealthChecks(this WebApplication app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Dependency) }).AllowAnonymous();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteJsonAsync }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteJsonAsync })
            .AllowAnonymous();
        return app;
    }

    internal static async Task WriteJsonAsync(HttpContext http, HealthReport report)
    {
        var authorization = http.RequestServices.GetRequiredService<IAuthorizationService>();
        var administrator = http.User.Identity?.IsAuthenticated == true && (await authorization.AuthorizeAsync(http.User, Policies.Administrators)).Succeeded;
        http.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(http.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteNumber("durationMs", Math.Round(report.TotalDuration.TotalMilliseconds, 1));
        json.WriteStartArray("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("status", entry.Status.ToString());
            json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 1));
            if (administrator && entry.Description is { } description)
                json.WriteString("description", description);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(http.RequestAborted);
    }
}

/// <summary>Hangfire keeps its jobs in the <c>hangfire</c> schema through its own connections: they are checked on their own.</summary>
internal sealed class HangfireStorageHealthCheck(JobStorage storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // Hangfire's storage API is synchronous: run it off the request thread and stop waiting after 3 s.
            var recurring = await Task.Run(() =>
            {
                using var connection = storage.GetConnection();
                return connection.GetAllItemsFromSet("recurring-jobs").Count;
            }, cancellationToken).WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
            return HealthCheckResult.Healthy($"Hangfire storage reachable ({recurring} recurring jobs).");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("Hangfire storage unreachable.", ex);
        }
    }
}

/// <summary>One connection to the Redis of <c>ConnectionStrings:Redis</c>, kept for the readiness check (reconnects by itself).</summary>
internal sealed class RedisProbe(string configuration) : IAsyncDisposable
{
    private readonly SemaphoreSlim connecting = new(1, 1);
    private ConnectionMultiplexer? connection;

    public async Task<TimeSpan> PingAsync(CancellationToken ct)
    {
        if (connection is null)
        {
            await connecting.WaitAsync(ct);
            try
            {
                if (connection is null)
                {
                    var options = ConfigurationOptions.Parse(configuration);
                    options.AbortOnConnectFail = false;                  // keep trying in the background; the ping says how it goes
                    options.ConnectTimeout = 2000;
                    options.BacklogPolicy = BacklogPolicy.FailFast;     // no connection: fail the ping at once rather than queue it
                    connection = await ConnectionMultiplexer.ConnectAsync(options);
                }
            }
            finally
            {
                connecting.Release();
            }
        }
        return await connection.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(3), ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
            await connection.DisposeAsync();
        connecting.Dispose();
    }
}

internal sealed class RedisHealthCheck(RedisProbe redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy($"Redis answered PING in {latency.TotalMilliseconds:0.0} ms.");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return HealthCheckResult.Unhealthy("Redis unreachable.", ex);
        }
    }
}
