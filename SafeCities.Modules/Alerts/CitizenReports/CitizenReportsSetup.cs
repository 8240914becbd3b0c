using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Shared.Jobs;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Alerts.CitizenReports;

/// <summary>Citizen reports: options, the per-address rate limit of public submissions, Open311's error format, and the retention job.</summary>
internal static class CitizenReportsSetup
{
    public static IServiceCollection AddCitizenReports(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<CitizenReportsOptions>(config.GetSection(CitizenReportsOptions.Section));
        services.AddMemoryCache();
        // Before the platform's ProblemDetails handler (AddAlertsModule runs before AddSafeCitiesPlatform): Open311 paths get Open311 errors.
        services.AddExceptionHandler<Open311ExceptionHandler>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(CitizenReportLimits.RateLimitPolicy, Partition);
            o.OnRejected = RejectAsync;
        });
        services.AddScoped<PurgeCitizenReportsJob>();
        services.AddRecurringJob<PurgeCitizenReportsJob>("alerts:purge-citizen-reports", j => j.RunAsync(CancellationToken.None), "17 3 * * *");
        return services;
    }

    public static void MapCitizenReports(this IEndpointRouteBuilder app) => Open311Endpoints.Map(app);

    /// <summary>
    /// Submissions only (reading the form or Open311's lists is not limited), per client address as the forwarded headers give it, counted in
    /// PostgreSQL so that all nodes share the permits (<see cref="SharedWindowRateLimiter"/>).
    /// </summary>
    private static RateLimitPartition<string> Partition(HttpContext context)
    {
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
            return RateLimitPartition.GetNoLimiter("read");
        var o = context.RequestServices.GetRequiredService<IOptions<CitizenReportsOptions>>().Value;
        return SharedWindowRateLimiter.Partition(context, "citizen-reports", context.Connection.RemoteIpAddress?.ToString() ?? "unknown", o.RateLimitPermits,
            TimeSpan.FromMinutes(Math.Max(0.01, o.RateLimitWindowMinutes)));
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var context = rejected.HttpContext;
        var retry = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
        context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var message = $"Too many reports from this address; try again in {Math.Max(1, (int)Math.Ceiling(retry.TotalMinutes))} minutes. In an emergency, call 911.";
        if (context.Request.Path.StartsWithSegments(Open311Endpoints.Root))
        {
            await context.Response.WriteAsJsonAsync(new List<Open311Error> { new(429, message) }, ct);
            return;
        }
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        if (!await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context, ProblemDetails = new ProblemDetails { Status = 429, Title = "Too many requests.", Detail = message },
            }))
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(message, ct);
        }
    }
}
