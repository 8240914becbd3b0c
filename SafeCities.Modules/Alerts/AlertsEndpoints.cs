using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Features;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Alerts;

internal sealed record OfficerPositionRequest(double? Latitude = null, double? Longitude = null, double? AccuracyMeters = null);

internal static class AlertsEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/incidents").WithTags("Incidents");
        api.MapGet("/", async (string? status, int? limit, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListIncidentsQuery(status, limit ?? 200), ct)))
            .RequireAuthorization(Policies.CommandStaff)
            .WithSummary("List incidents, newest activity first; status = open | acknowledged | closed.")
            .ProducesValidationProblem();
        api.MapGet("/board", async (ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new GetBoardQuery(), ct)))
            .RequireAuthorization(Policies.CommandStaff)
            .WithSummary("What the command board draws: the open and acknowledged incidents, most recent activity first, at most `limit` of each, "
                         + "and how many of each there are.");
        api.MapGet("/{id:guid}", async Task<IResult> (Guid id, ISender sender, CancellationToken ct) =>
                await sender.Send(new GetIncidentQuery(id), ct) is { } detail ? TypedResults.Ok(detail) : TypedResults.NotFound())
            .RequireAuthorization(Policies.CommandStaff)
            .WithSummary("One incident with its timeline.")
            .Produces<IncidentDetailDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id:guid}/acknowledge", async (Guid id, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new AcknowledgeIncidentCommand(id, user.Actor()), ct)))
            .RequireAuthorization(Policies.IncidentResponders)
            .WithSummary("open → acknowledged (409 from any other state).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        IncidentRecordEndpoints.Map(app); // close with an outcome, reopen, notes, status history, incident history and its exports

        var officers = app.MapGroup("/api/v1/officers").WithTags("Officers");
        officers.MapPut("/me/position", async (OfficerPositionRequest b, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ReportOfficerPositionCommand(user.Actor(), b.Latitude, b.Longitude, b.AccuracyMeters), ct)))
            .RequireAuthorization(Policies.IncidentResponders)
            .WithSummary("The signed-in officer's phone shares its position (opt-in; only the last one is kept, and it goes stale after "
                         + "Alerts:Hits:PositionMaxAgeMinutes). Hotlist hits near it are pushed to the officer.")
            .ProducesValidationProblem();
        officers.MapDelete("/me/position", async (ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
            {
                await sender.Send(new StopSharingPositionCommand(user.Actor()), ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.IncidentResponders)
            .WithSummary("Stops sharing: the officer's position is deleted at once.");
        officers.MapGet("/positions", async (ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new ListOfficerPositionsQuery(), ct)))
            .RequireAuthorization(Policies.CommandStaff)
            .WithSummary("Officers sharing a fresh position, for the board's map.");
    }
}
