using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Features;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Plates;

/// <summary>Body of <c>POST /api/v1/plates/reads</c>.</summary>
internal sealed record IngestPlateReadsRequest(IReadOnlyList<IncomingPlateReadDto>? Reads = null);

/// <summary>Body of <c>PUT /api/v1/plates/readers/status</c>.</summary>
internal sealed record ReaderStatusRequest(string? Fault = null);

internal static class PlatesEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/plates").WithTags("Plates");
        api.MapPost("/reads", PlateReadsIngestionEndpoint.HandleAsync)
            .RequireAuthorization(PlatesDeviceKinds.PlateReaderDevicesPolicy)
            .WithSummary("A batch of plate reads from the reader whose key is sent. All-or-nothing: one invalid read refuses the whole batch (400 " +
                         "naming reads[i].field) and nothing is written. A read this reader already sent (same readId and capturedAt) counts as a " +
                         "duplicate and is not stored again. 200 means committed; 413 when the body is too large; 429/503 with Retry-After when " +
                         "ingestion is saturated (nothing of the batch was stored: send it again).")
            .Accepts<IngestPlateReadsRequest>("application/json")
            .Produces<PlateReadsIngestedDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapPut("/readers/status", async (ReaderStatusRequest body, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ReportReaderStatusCommand(user.DeviceId(), body.Fault), ct)))
            .RequireAuthorization(PlatesDeviceKinds.PlateReaderDevicesPolicy)
            .WithSummary("The reader whose key is sent reports its status: 'fault' is the fault it has now in its own words (up to 200 " +
                         "characters, e.g. 'lens obstructed'), or null when it has none. Device health shows a reader with a fault as failing.")
            .Produces<ReaderStatusDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/incidents/{incidentId:guid}/reads", async (Guid incidentId, int? limit, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new GetIncidentPlateReadsQuery(incidentId, limit ?? 500), ct)))
            .RequireAuthorization(Policies.CommandStaff)
            .WithSummary("Reads tied to an incident (armed readers, inside its window), newest first; empty when none.")
            .Produces<IReadOnlyList<IncidentPlateReadDto>>()
            .ProducesValidationProblem();
        HotlistEndpoints.Map(api);
        PlateImageEndpoints.Map(api);
    }
}
