using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Net.Http.Headers;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Alerts.PublicAlerts;

internal sealed record DraftPublicAlertRequest(PublicAlertContent? Content = null, Guid? IncidentId = null);

internal sealed record CancelPublicAlertRequest(string? Reason = null);

/// <summary>Public alerts: the staff API (commanders and administrators) and the public CAP feed (no sign-in).</summary>
internal static class PublicAlertsSetup
{
    public static IServiceCollection AddPublicAlerts(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<PublicAlertsOptions>(config.GetSection(PublicAlertsOptions.Section));
        return services.Configure<AuthorizationOptions>(o =>
            o.AddPolicy(PublicAlertPolicies.Issuers, p => p.RequireAuthenticatedUser().RequireRole([.. Roles.Commanders])));
    }

    public static IEndpointRouteBuilder MapPublicAlerts(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/public-alerts").WithTags("Public alerts");
        api.MapGet("/", async (int? limit, ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new ListPublicAlertsQuery(limit ?? 100), ct)))
            .RequireAuthorization(PublicAlertPolicies.Issuers)
            .WithSummary("Drafts waiting for approval, issued and discarded messages, newest first.");
        api.MapGet("/{id:guid}", async Task<IResult> (Guid id, ISender sender, CancellationToken ct) =>
                await sender.Send(new GetPublicAlertQuery(id), ct) is { } a ? TypedResults.Ok(a) : TypedResults.NotFound())
            .RequireAuthorization(PublicAlertPolicies.Issuers)
            .WithSummary("One message of a public alert.")
            .Produces<PublicAlertDto>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/", async (DraftPublicAlertRequest b, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
            {
                var draft = await sender.Send(new DraftPublicAlertCommand(user.Actor(), b.Content!, b.IncidentId), ct);
                return TypedResults.Created($"/api/v1/public-alerts/{draft.Id}", draft);
            })
            .RequireAuthorization(PublicAlertPolicies.Issuers)
            .WithSummary("Draft a public alert (from an incident, or not): nothing is public until a second person approves it.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id:guid}/update", async (Guid id, DraftPublicAlertRequest b, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
            {
                var draft = await sender.Send(new DraftPublicAlertCommand(user.Actor(), b.Content!, UpdatesId: id), ct);
                return TypedResults.Created($"/api/v1/public-alerts/{draft.Id}", draft);
            })
            .RequireAuthorization(PublicAlertPolicies.Issuers)
            .WithSummary("Draft a CAP Update of the alert's newest issued message; issued when approved, referencing every earlier message.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id:guid}/approve", async (Guid id, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ApprovePublicAlertCommand(id, user.Actor()), ct)))
            .RequireAuthorization(PublicAlertPolicies.Issuers)
            .WithSummary("Approve a draft: it is issued as CAP 1.2 at once. 403 for its own author under the two-person rule; 409 when not a draft.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id:guid}/discard", async (Guid id, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new DiscardPublicAlertCommand(id, user.Actor()), ct)))
            .RequireAuthorization(PublicAlertPolicies.Issuers)
            .WithSummary("Discard a draft (kept, never issued).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id:guid}/cancel", async (Guid id, CancelPublicAlertRequest? b, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new CancelPublicAlertCommand(id, user.Actor(), b?.Reason), ct)))
            .RequireAuthorization(PublicAlertPolicies.Issuers)
            .WithSummary("Withdraw an issued alert at once with a CAP Cancel (one person suffices); reason ≤ 500 characters.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        // The public face: no sign-in, cacheable, conditional.
        api.MapGet("/current", async (ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new ListCurrentPublicAlertsQuery(), ct)))
            .AllowAnonymous()
            .WithSummary("Public (no sign-in): the current alerts (issued, not superseded, cancelled or expired) with their texts and areas, for /alerts.");
        app.MapGet("/cap/alerts.atom", async (HttpContext http, IOptions<PublicAlertsOptions> options, ISender sender, CancellationToken ct) =>
                Conditional(http, await sender.Send(new GetCapFeedQuery(BaseUrl(http, options.Value)), ct), "application/atom+xml; charset=utf-8"))
            .AllowAnonymous().WithTags("Public alerts")
            .WithSummary("Public (no sign-in): Atom index of the published CAP 1.2 messages, each entry linking to its XML. ETag / If-None-Match → 304.");
        app.MapGet("/cap/alerts/{identifier}.xml", async Task<IResult> (string identifier, HttpContext http, ISender sender, CancellationToken ct) =>
                await sender.Send(new GetCapMessageQuery(identifier), ct) is { } message
                    ? Conditional(http, message, "application/cap+xml; charset=utf-8")
                    : TypedResults.NotFound())
            .AllowAnonymous().WithTags("Public alerts")
            .WithSummary("Public (no sign-in): one issued CAP 1.2 message, as issued (never changes). ETag / If-None-Match → 304.");
        return app;
    }

    private static string BaseUrl(HttpContext http, PublicAlertsOptions options) =>
        options.PublicBaseUrl is { Length: > 0 } configured
            ? configured.EndsWith('/') ? configured : configured + "/"
            : $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/";

    /// <summary>200 with a strong ETag, or 304 when the client already has these bytes.</summary>
    private static IResult Conditional(HttpContext http, CapDocumentDto document, string contentType)
    {
        var headers = http.Response.GetTypedHeaders();
        headers.ETag = new EntityTagHeaderValue(document.ETag);
        headers.CacheControl = new CacheControlHeaderValue { Public = true, MaxAge = TimeSpan.FromSeconds(60) };
        headers.LastModified = document.Updated;
        var ifNoneMatch = http.Request.GetTypedHeaders().IfNoneMatch;
        if (ifNoneMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || (!t.IsWeak && t.Tag.Equals(document.ETag, StringComparison.Ordinal))))
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Bytes(Encoding.UTF8.GetBytes(document.Xml), contentType);
    }
}
