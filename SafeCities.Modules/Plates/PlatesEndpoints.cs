using System.Security.Claims;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Plates;

/// <summary>Body of <c>POST /api/v1/plates/reads</c>.</summary>
internal sealed record IngestPlateReadsRequest(IReadOnlyList<IncomingPlateReadDto>? Reads = null);

internal static class PlatesEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/plates").WithTags("Plates");
        api.MapPost("/reads", async (IngestPlateReadsRequest body, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new IngestPlateReadsCommand(user.DeviceId(), body.Reads), ct)))
            .RequireAuthorization(Policies.PlateReaderDevices)
            .WithSummary("A batch of plate reads from the reader whose key is sent. All-or-nothing: one invalid read refuses the whole batch (400 " +
                         "naming reads[i].field) and nothing is written. A readId this reader already sent counts as a duplicate and is not stored again.")
            .Produces<PlateReadsIngestedDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/incidents/{incidentId:guid}/reads", async (Guid incidentId, int? limit, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new GetIncidentPlateReadsQuery(incidentId, limit ?? 500), ct)))
            .RequireAuthorization(Policies.CommandStaff)
            .WithSummary("Reads tied to an incident (armed readers, inside its window), newest first; empty when none.")
            .Produces<IReadOnlyList<IncidentPlateReadDto>>()
            .ProducesValidationProblem();
        HotlistEndpoints.Map(api);
    }
}
