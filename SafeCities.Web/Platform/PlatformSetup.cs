using System.Text.Json.Serialization;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using SafeCities.Modules.Shared.Input;
using SafeCities.Modules.Shared.Persistence;
using SafeCities.Web.Platform.Observability;
using Scalar.AspNetCore;

namespace SafeCities.Web.Platform;

/// <summary>Everything the host adds around the modules: configuration, authorization policies, errors, jobs, health, API docs (people and keys: PlatformModule).</summary>
internal static class PlatformSetup
{
    /// <summary>The customer keeps <c>appsettings.json</c> at the repository root; it is linked into the output and read first.</summary>
    public static void AddRootAppSettings(this ConfigurationManager configuration)
    {
        var sources = configuration.Sources;
        var index = sources.ToList().FindIndex(s => s is JsonConfigurationSource { Path: "appsettings.json" });
        var root = new JsonConfigurationSource { Path = Path.Combine(AppContext.BaseDirectory, "appsettings.json"), Optional = false };
        root.ResolveFileProvider();
        sources.Insert(index < 0 ? 0 : index + 1, root);
    }

    public static WebApplicationBuilder AddSafeCitiesPlatform(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;

        services.AddAuthorization(Policies.Configure);

        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.RespectNullableAnnotations = true;
            o.SerializerOptions.RespectRequiredConstructorParameters = true;
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        services.AddInputHygiene();
        services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "SafeCities API";
            doc.Info.Description = "Authenticate with the X-Api-Key header (API clients and devices). Errors are RFC 9457 ProblemDetails.";
            return Task.CompletedTask;
        }));
        services.AddSafeCitiesHealthChecks(config);

        services.AddHangfire((sp, c) => c.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(o => o.UseNpgsqlConnection(sp.GetRequiredService<IConfiguration>().ConnectionString()),
                new PostgreSqlStorageOptions
                {
                    SchemaName = "hangfire", QueuePollInterval = TimeSpan.FromSeconds(1),
                    // A lock row older than this is taken over: a node killed while holding one (hangfire.lock) blocks the others and
                    // its own restart for this long, not for the library's 10 minutes. Hangfire holds its locks for milliseconds.
                    DistributedLockTimeout = TimeSpan.FromSeconds(config.GetValue("Hangfire:DistributedLockTimeoutSeconds", 30)),
                    // Running jobs are kept invisible by a heartbeat; those of a killed node go back to the queue after 5 minutes (not 30).
                    UseSlidingInvisibilityTimeout = true, InvisibilityTimeout = TimeSpan.FromMinutes(5),
                }));
        if (config.GetValue("Hangfire:ServerEnabled", true))
            services.AddHangfireServer(o =>
            {
                o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
                o.WorkerCount = config.GetValue("Hangfire:WorkerCount", 4);
            });
        return builder;
    }

    public static WebApplication MapSafeCitiesPlatform(this WebApplication app)
    {
        app.MapSafeCitiesHealthChecks();
        app.MapOpenApi().RequireAuthorization(Policies.Administrators);
        // Nothing from outside: no CDN fonts, no telemetry; its boot script carries a per-request nonce (see SecurityHeaders).
        // Air-gapped by default: no fonts, telemetry, AI agent, MCP or hosted-client buttons, nothing fetched from outside the app's origin.
        app.MapScalarApiReference("/api/docs", o =>
        {
            o.WithTitle("SafeCities API").WithNonce().DisableDefaultFonts().DisableTelemetry().DisableAgent().DisableMcp().HideDeveloperTools();
            o.HideClientButton = true;
        }).RequireAuthorization(Policies.Administrators);
        app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [new AdministratorsOnly()], DisplayStorageConnectionString = false })
            .RequireAuthorization(Policies.Administrators);
        return app;
    }

    private sealed class AdministratorsOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Roles.Administrator);
    }
}

internal sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy("Database reachable.");
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            return HealthCheckResult.Unhealthy("Database unreachable.", ex);
        }
    }
}
