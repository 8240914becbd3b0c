using System.Security.Claims;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Sensors.Contracts;

namespace SafeCities.Web.Composition;

/// <summary>Body of <c>POST /api/v1/sensors/gunshots</c>: a located alert (ShotSpotter / Flock Raven shape).</summary>
internal sealed record ReportGunshotRequest(string ExternalId, DateTimeOffset OccurredAt, double Latitude, double Longitude, int Rounds, string? Source = null);

internal sealed record ReportGunshotResponse(Guid IncidentId, Guid DetectionId);

/// <summary>Body of <c>POST /api/v1/sensors/pulses</c>.</summary>
internal sealed record ReportPulsesRequest(IReadOnlyList<PulseReport> Pulses);

internal sealed record PulseReportResponse(int Accepted, int Duplicates, IReadOnlyList<LocatedShotResponse> Located);

internal sealed record LocatedShotResponse(Guid DetectionId, Guid? IncidentId, DateTimeOffset OccurredAt, double Latitude, double Longitude,
    double UncertaintyMeters, int SensorsUsed);

/// <summary>
/// The devices' reports: Sensors stores the detection and has its reactions run (the incident is open when it returns); the
/// reply adds the incident from Alerts. Composed here, at the edge, so that Sensors never asks back the module that reacts to it
/// (docs/adr/0013-one-transactional-outbox.md).
/// </summary>
internal static class DeviceReports
{
    public static IEndpointRouteBuilder MapDeviceReports(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/sensors").WithTags("Sensors");
        api.MapPost("/gunshots", ReportGunshot)
            .RequireAuthorization(SensorDeviceKinds.GunshotDevicesPolicy)
            .WithSummary("Report a located gunshot alert (device key). 201 on a new detection, 200 when the device already reported this externalId.")
            .Produces<ReportGunshotResponse>(StatusCodes.Status201Created)
            .Produces<ReportGunshotResponse>()
            .ProducesValidationProblem();
        api.MapPost("/pulses", ReportPulses)
            .RequireAuthorization(SensorDeviceKinds.AcousticSensorsPolicy)
            .WithSummary("Report impulse arrival times heard by this acoustic sensor; answers the shots they completed, located by multilateration.")
            .Produces<PulseReportResponse>()
            .ProducesValidationProblem();
        return app;
    }

    private static async Task<IResult> ReportGunshot(ReportGunshotRequest body, ClaimsPrincipal user, ISender sender, CancellationToken ct)
    {
        var result = await sender.Send(new ReportGunshotCommand(user.DeviceId(), body.ExternalId, body.OccurredAt, body.Latitude, body.Longitude,
            body.Rounds, body.Source), ct);
        var incidentId = await sender.Send(new GetIncidentForDetectionQuery(result.DetectionId), ct) ?? Guid.Empty;
        var response = new ReportGunshotResponse(incidentId, result.DetectionId);
        return result.Created
            ? TypedResults.Created($"/api/v1/incidents/{incidentId}", response)
            : TypedResults.Ok(response);
    }

    private static async Task<IResult> ReportPulses(ReportPulsesRequest body, ClaimsPrincipal user, ISender sender, CancellationToken ct)
    {
        var result = await sender.Send(new ReportPulsesCommand(user.DeviceId(), body.Pulses), ct);
        var located = new List<LocatedShotResponse>(result.Located.Count);
        foreach (var shot in result.Located)
            located.Add(new LocatedShotResponse(shot.DetectionId, await sender.Send(new GetIncidentForDetectionQuery(shot.DetectionId), ct),
                shot.OccurredAt, shot.Latitude, shot.Longitude, shot.UncertaintyMeters, shot.SensorsUsed));
        return TypedResults.Ok(new PulseReportResponse(result.Accepted, result.Duplicates, located));
    }
}
