using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Shared.Jobs;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Alerts.InboundCap;

/// <summary>Inbound CAP: the push endpoint for partner authorities (and administrators). The staff page is /Alerts/InboundAlerts.</summary>
internal static class InboundCapSetup
{
    private static readonly string[] MediaTypes = ["application/cap+xml", "application/xml", "text/xml"];

    public static IServiceCollection AddInboundCap(this IServiceCollection services)
    {
        services.Configure<AuthorizationOptions>(o => o.AddPolicy(InboundCapPolicies.Pushers, p => p.RequireAuthenticatedUser().RequireAssertion(c =>
            c.User.IsInRole(Roles.Administrator) || (c.User.IsInRole(Roles.AgencyFeed) && c.User.AgencyId() is not null))));
        services.AddHttpClient(CapFeedLimits.HttpClientName, c =>
            {
                c.Timeout = CapFeedLimits.Timeout;
                c.DefaultRequestHeaders.UserAgent.ParseAdd("SafeCities-CAP-feed/1.0");
                c.DefaultRequestHeaders.Accept.ParseAdd("application/cap+xml, application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.8");
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                MaxAutomaticRedirections = 3, AutomaticDecompression = System.Net.DecompressionMethods.All, ConnectTimeout = TimeSpan.FromSeconds(10),
            });
        services.AddScoped<CapFeedPoller>();
        services.AddScoped<PollCapFeedsJob>();
        services.AddRecurringJob<PollCapFeedsJob>("alerts:poll-cap-feeds", j => j.RunAsync(CancellationToken.None), "* * * * *");
        return services;
    }

    public static IEndpointRouteBuilder MapInboundCap(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/alerts/cap", async Task<IResult> (HttpContext http, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
            {
                var type = http.Request.ContentType?.Split(';')[0].Trim();
                if (type is null || !MediaTypes.Contains(type, StringComparer.OrdinalIgnoreCase))
                    return Refused($"Send the CAP message as {string.Join(" or ", MediaTypes)}.");
                if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
                    size.MaxRequestBodySize = InboundCapLimits.MaxBodyBytes + 1;
                if (http.Request.ContentLength > InboundCapLimits.MaxBodyBytes)
                    return TooLarge();
                using var buffer = new MemoryStream();
                try
                {
                    await http.Request.Body.CopyToAsync(buffer, ct);
                }
                catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
                {
                    return TooLarge();
                }
                if (buffer.Length > InboundCapLimits.MaxBodyBytes)
                    return TooLarge();
                if (buffer.Length == 0)
                    return Refused("The body is empty: send one CAP message.");
                var received = await sender.Send(new ReceiveInboundCapCommand(buffer.ToArray(), user.Actor(), user.IsInRole(Roles.AgencyFeed) ? user.AgencyId() : null), ct);
                return received.Created ? TypedResults.Created($"/Alerts/InboundAlerts#{received.Id}", received) : TypedResults.Ok(received);
            })
            .RequireAuthorization(InboundCapPolicies.Pushers)
            .WithTags("Inbound CAP")
            .WithSummary($"Push one CAP 1.2 or 1.1 message (application/cap+xml or application/xml, at most {InboundCapLimits.MaxBodyBytes / 1024} KB) with a partner "
                + "agency's feed key or as an administrator. 201 stored; 200 this sender/identifier/sent was already received; 400 with the reason "
                + "(not well-formed, a DTD, another namespace, a required element missing, a bad polygon or circle, an implausible date, too large). "
                + "An Update or Cancel supersedes or cancels the referenced messages the same agency pushed.")
            .Produces<InboundCapReceivedDto>(StatusCodes.Status201Created).Produces<InboundCapReceivedDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        app.MapGet("/api/v1/alerts/cap/current", (ISender sender, CancellationToken ct) => sender.Send(new ListCurrentInboundCapAlertsQuery(), ct))
            .RequireAuthorization(Policies.CommandStaff)
            .WithTags("Inbound CAP")
            .WithSummary("Other authorities' alerts in force (pushed or polled): not superseded, cancelled or expired; one without an expiry for 24 hours "
                + "after it was sent. Areas as polygons (circles as polygons) and points; newest first.");

        var feeds = app.MapGroup("/api/v1/alerts/cap-feeds").WithTags("Inbound CAP").RequireAuthorization(Policies.Administrators);
        feeds.MapGet("", (ISender sender, CancellationToken ct) => sender.Send(new ListCapFeedsQuery(), ct))
            .WithSummary("The subscribed CAP feeds with what their last poll did.");
        feeds.MapPost("", async (CapFeedRequest body, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
            {
                var feed = await sender.Send(new AddCapFeedCommand(body.Name, body.Url, body.IntervalSeconds, user.Actor()), ct);
                return TypedResults.Created($"/api/v1/alerts/cap-feeds/{feed.Id}", feed);
            })
            .WithSummary($"Subscribe to a CAP source by http(s) URL: an Atom or RSS index of CAP messages, or one CAP message. Polled every intervalSeconds "
                + $"({CapFeedLimits.MinIntervalSeconds}–{CapFeedLimits.MaxIntervalSeconds}, default {CapFeedLimits.DefaultIntervalSeconds}) with If-None-Match; "
                + "entries are fetched from the feed's own host only. 409 when the URL is already subscribed.")
            .Produces<CapFeedDto>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        feeds.MapPost("/{id:guid}/poll", (Guid id, ISender sender, CancellationToken ct) => sender.Send(new PollCapFeedCommand(id), ct))
            .WithSummary("Poll the feed now and answer its state afterwards (lastResult, lastError).").ProducesProblem(StatusCodes.Status404NotFound);
        feeds.MapDelete("/{id:guid}", async (Guid id, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
            {
                await sender.Send(new RemoveCapFeedCommand(id, user.Actor()), ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Unsubscribe (the alerts already received stay).").ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private sealed record CapFeedRequest(string? Name, string? Url, int? IntervalSeconds = null);

    private static IResult Refused(string reason) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The CAP message was refused.", detail: reason);

    private static IResult TooLarge() => Refused($"The message is larger than {InboundCapLimits.MaxBodyBytes / 1024} KB.");
}
