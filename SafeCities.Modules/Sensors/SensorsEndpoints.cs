using System.Security.Claims;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Sensors;

/// <summary>Body of <c>POST /api/v1/sensors/gunshots</c>: a located alert (ShotSpotter / Flock Raven shape).</summary>
internal sealed record ReportGunshotRequest(string ExternalId, DateTimeOffset OccurredAt, double Latitude, double Longitude, int Rounds, string? Source = null);

internal sealed record ReportGunshotResponse(Guid IncidentId, Guid DetectionId);

/// <summary>Body of <c>POST /api/v1/sensors/pulses</c>.</summary>
internal sealed record ReportPulsesRequest(IReadOnlyList<PulseReport> Pulses);

internal static class SensorsEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/sensors").WithTags("Sensors");
        api.MapPost("/gunshots", ReportGunshot)
            .RequireAuthorization(SensorDeviceKinds.GunshotDevicesPolicy)
            .WithSummary("Report a located gunshot alert (device key). 201 on a new detection, 200 when the device already reported this externalId.")
            .Produces<ReportGunshotResponse>(StatusCodes.Status201Created)
            .Produces<ReportGunshotResponse>()
            .ProducesValidationProblem();
        api.MapPost("/pulses", async (ReportPulsesRequest body, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ReportPulsesCommand(user.DeviceId(), body.Pulses), ct)))
            .RequireAuthorization(SensorDeviceKinds.AcousticSensorsPolicy)
            .WithSummary("Report impulse arrival times heard by this acoustic sensor; answers the shots they completed, located by multilateration.")
            .Produces<PulseReportResult>()
            .ProducesValidationProblem();
    }

    private static async Task<IResult> ReportGunshot(ReportGunshotRequest body, ClaimsPrincipal user, ISender sender, CancellationToken ct)
    {
        var result = await sender.Send(new ReportGunshotCommand(user.DeviceId(), body.ExternalId, body.OccurredAt, body.Latitude, body.Longitude,
            body.Rounds, body.Source), ct);
        var response = new ReportGunshotResponse(result.IncidentId ?? Guid.Empty, result.DetectionId);
        return result.Created
            ? TypedResults.Created($"/api/v1/incidents/{result.IncidentId}", response)
            : TypedResults.Ok(response);
    }
}
