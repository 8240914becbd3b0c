using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Alerts;

/// <summary>Body of <c>POST /api/v1/incidents/{id}/responders/me</c>.</summary>
internal sealed record ResponderStatusRequest(string Status);

internal static class ResponderEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/incidents/{id:guid}/responders").WithTags("Incidents");
        api.MapPost("/me", async (Guid id, ResponderStatusRequest body, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ReportResponderStatusCommand(id, user.Actor(), body.Status), ct)))
            .RequireAuthorization(Policies.IncidentResponders)
            .WithSummary("The signed-in officer's status for the incident: acknowledged | en-route | on-scene (on the incident's timeline).")
            .Produces<ResponderStatusDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/", async (Guid id, ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new ListIncidentRespondersQuery(id), ct)))
            .RequireAuthorization(Policies.CommandStaff)
            .WithSummary("Every officer's latest status on the incident, most recent first.")
            .Produces<IReadOnlyList<ResponderStatusDto>>();
    }
}
