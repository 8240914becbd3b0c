using System.Text.Json.Serialization;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using SafeCities.Modules.Shared.Caching;
using SafeCities.Modules.Shared.Input;
using SafeCities.Modules.Shared.Persistence;
using SafeCities.Modules.Shared.Security;
using SafeCities.Web.Platform.Agencies;
using SafeCities.Web.Platform.Audit;
using SafeCities.Web.Platform.ApiKeys;
using SafeCities.Web.Platform.Demo;
using SafeCities.Web.Platform.Devices;
using SafeCities.Web.Platform.Identity;
using SafeCities.Web.Platform.Observability;
using Scalar.AspNetCore;

namespace SafeCities.Web.Platform;

/// <summary>Everything the host adds around the modules: configuration, identity, API keys, errors, jobs, health, API docs.</summary>
internal static class PlatformSetup
{
    public const string SmartScheme = "CookieOrApiKey";

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

        services.AddDbContext<PlatformDbContext>((sp, o) => o.UseModuleDatabase(sp.GetRequiredService<NpgsqlDataSource>(), PlatformDbContext.Schema));
        services.AddSingleton(new ModuleDatabase(typeof(PlatformDbContext)));
        services.AddCacheInvalidation();
        services.AddScoped<ApiKeyService>();
        services.AddScoped<DeviceRegistry>();
        services.AddScoped<IdentitySeeder>();
        services.AddScoped<UserAdministration>();
        services.AddScoped<IStartupTask>(sp => sp.GetRequiredService<IdentitySeeder>());
        services.AddScoped<IStartupTask, DemoCitySeeder>();
        if (config.GetValue("Demo:Simulator:Enabled", false))
        {
            services.AddHostedService<PlateTrafficSimulator>();
            services.AddHostedService<PatrolSimulator>();
        }

        services.AddIdentity<IdentityUser, IdentityRole>(o =>
            {
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.Password.RequiredLength = 12;
                o.User.RequireUniqueEmail = true;
            })
            .AddEntityFrameworkStores<PlatformDbContext>()
            .AddDefaultTokenProviders();
        services.AddTwoFactor(config, builder.Environment);
        // A sign-in cookie is checked against the user's security stamp this often (Identity's default: 30 minutes). Locking a user, changing
        // their roles or resetting their password renews the stamp, so their open sessions end within this time.
        services.Configure<SecurityStampValidatorOptions>(o =>
            o.ValidationInterval = TimeSpan.FromSeconds(config.GetValue("Security:StampValidationSeconds", 60)));
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "safecities.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.LoginPath = "/Account/Login";
            o.LogoutPath = "/Account/Logout";
            o.AccessDeniedPath = "/Account/AccessDenied";
            o.ExpireTimeSpan = TimeSpan.FromMinutes(config.GetValue("Security:IdleTimeoutMinutes", 30));
            o.SlidingExpiration = true;
            o.Events.OnRedirectToLogin = ctx => Redirect(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => Redirect(ctx, StatusCodes.Status403Forbidden);
        });
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = SmartScheme;
                o.DefaultAuthenticateScheme = SmartScheme;
                o.DefaultChallengeScheme = SmartScheme;
                o.DefaultForbidScheme = SmartScheme;
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddPolicyScheme(SmartScheme, "Cookie or API key", o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.Header) ? ApiKeyAuthenticationHandler.SchemeName : IdentityConstants.ApplicationScheme);
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
        app.MapScalarApiReference("/api/docs", o => o.WithTitle("SafeCities API").WithNonce().DisableDefaultFonts().DisableTelemetry()).RequireAuthorization(Policies.Administrators);
        app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [new AdministratorsOnly()], DisplayStorageConnectionString = false })
            .RequireAuthorization(Policies.Administrators);
        app.MapDeviceEndpoints();
        app.MapAgencyAccessEndpoints();
        app.MapUserEndpoints();
        app.MapAuditEndpoints();
        return app;
    }

    private static Task Redirect(RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api") || ctx.Request.Path.StartsWithSegments("/hubs") || ctx.Request.Path.StartsWithSegments("/openapi"))
        {
            ctx.Response.StatusCode = status;
            return Results.Problem(statusCode: status, detail: status == 401 ? "Sign in or send a valid X-Api-Key header." : "Your role may not use this.")
                .ExecuteAsync(ctx.HttpContext);
        }
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
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
