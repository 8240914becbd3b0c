using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Hangfire;
using SafeCities.Modules.Platform.Addresses;
using SafeCities.Modules.Platform.Agencies;
using SafeCities.Modules.Platform.ApiKeys;
using SafeCities.Modules.Platform.Approvals;
using SafeCities.Modules.Platform.Audit;
using SafeCities.Modules.Platform.Data;
using SafeCities.Modules.Platform.Demo;
using SafeCities.Modules.Platform.Devices;
using SafeCities.Modules.Platform.Districts;
using SafeCities.Modules.Platform.Identity;
using SafeCities.Modules.Platform.Oversight;
using SafeCities.Modules.Platform.Reports;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Caching;
using SafeCities.Modules.Shared.Jobs;
using SafeCities.Modules.Shared.Persistence;
using SafeCities.Modules.Shared.Purposes;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Platform;

/// <summary>
/// People (ASP.NET Core Identity: sign-in, two-factor, accounts), machine credentials (API clients, agency feeds, device keys), the one front
/// door for devices of every module's kinds, the audit review API, the Data Protection key ring every node shares, and the demo city.
/// Schema <c>platform</c>.
/// </summary>
public static class PlatformModule
{
    /// <summary>The default scheme: the <c>X-Api-Key</c> header when present, else the sign-in cookie.</summary>
    public const string SmartScheme = "CookieOrApiKey";

    public static IServiceCollection AddPlatformModule(this IServiceCollection services, IConfiguration config, IHostEnvironment environment)
    {
        services.AddModuleDbContext<PlatformDbContext>(PlatformDbContext.Schema);
        services.AddCacheInvalidation();
        services.AddAddresses(config);
        services.AddScoped<ApiKeyService>();
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<DeviceKindCatalog>();
        services.AddScoped<DeviceRegistry>();
        services.AddScoped<DeviceAvailabilityJob>();
        services.AddRecurringJob<DeviceAvailabilityJob>("platform:device-availability", j => j.RunAsync(CancellationToken.None), Cron.Minutely());
        services.AddScoped<PurgeRateLimitWindowsJob>();
        services.AddRecurringJob<PurgeRateLimitWindowsJob>("platform:purge-rate-limit-windows", j => j.RunAsync(CancellationToken.None), "41 3 * * *");
        services.AddAuditAnchors();
        services.AddPurposePolicy(config);
        services.AddScoped<IdentitySeeder>();
        services.AddScoped<UserAdministration>();
        services.AddScoped<IStartupTask>(sp => sp.GetRequiredService<IdentitySeeder>());
        services.AddScoped<DemoIntelligence>();
        services.AddScoped<IStartupTask, DemoCitySeeder>();
        services.AddScoped<DemoForecastBackfill>();
        if (config.GetValue("Demo:Simulator:Enabled", false))
        {
            services.AddHostedService<PlateTrafficSimulator>();
            services.AddHostedService<PatrolSimulator>();
            services.AddHostedService<DemoResponder>();
            services.AddHostedService<DemoCallers>();
        }
        // The key ring lives in platform.data_protection_keys, so a cookie issued by one node is valid on every other (see NodesSetup).
        services.AddDataProtection().PersistKeysToDbContext<PlatformDbContext>();

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
        services.AddTwoFactor(config, environment);
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
        return services;
    }

    public static IEndpointRouteBuilder MapPlatformModule(this IEndpointRouteBuilder app)
    {
        app.MapDeviceEndpoints();
        app.MapAgencyAccessEndpoints();
        app.MapUserEndpoints();
        app.MapAuditEndpoints();
        app.MapSearchApprovalEndpoints();
        app.MapAnnualReportEndpoints();
        app.MapOversightEndpoints();
        app.MapAddressEndpoints();
        app.MapDistrictEndpoints();
        return app;
    }

    /// <summary>
    /// The sign-in requirements gate (after authentication and authorization): a one-time password to replace, then a required second factor
    /// to set up, before anything else.
    /// </summary>
    public static IApplicationBuilder UsePlatformSignInRequirements(this IApplicationBuilder app) => app.UseSignInRequirements();

    /// <summary>The page of the sign-in step this request's person still has to take (null: none); the layout leaves out what would be refused.</summary>
    public static string? PendingSignInStep(HttpContext context) => SignInRequirements.PendingStep(context);

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (MachinePaths.Contains(ctx.Request.Path))
        {
            ctx.Response.StatusCode = status;
            return Results.Problem(statusCode: status, detail: status == 401 ? "Sign in or send a valid X-Api-Key header." : "Your role may not use this.")
                .ExecuteAsync(ctx.HttpContext);
        }
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}
