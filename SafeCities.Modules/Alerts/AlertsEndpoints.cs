using System.Security.Claims;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Alerts;

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
        api.MapPost("/{id:guid}/close", async (Guid id, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new CloseIncidentCommand(id, user.Actor()), ct)))
            .RequireAuthorization(Policies.IncidentResponders)
            .WithSummary("open | acknowledged → closed (409 when already closed).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }
}
