using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Sensors.Environment;

internal static class ReadingsEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/sensors/readings", async (SensorReadingsBody body, ClaimsPrincipal device, ISender sender, CancellationToken ct) =>
            {
                var stored = await sender.Send(new IngestSensorReadingsCommand(device.DeviceId(), body.Readings, "http"), ct);
                return TypedResults.Ok(new { stored = stored.Stored, duplicates = stored.Duplicates });
            })
            .RequireAuthorization(SensorDeviceKinds.EnvironmentalSensorsPolicy)
            .WithTags("Sensors")
            .WithSummary("An environmental sensor's readings (1–1,000: readingId, at, quantity, value, unit?), all or none; the same body as MQTT "
                         + "safecities/{deviceId}/readings. Idempotent per reading id and time.")
            .ProducesValidationProblem();

        var staff = app.MapGroup("/api/v1/sensors/environment").WithTags("Sensors").RequireAuthorization(Policies.CommandStaff);
        staff.MapGet("/", async (ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new ListEnvironmentalSensorsQuery(), ct)))
            .WithSummary("Every environmental sensor with its latest value per quantity and the current US AQI (air-quality sensors).");
        staff.MapGet("/{id:guid}/series", async Task<IResult> (Guid id, string? range, ISender sender, CancellationToken ct) =>
                await sender.Send(new GetSensorSeriesQuery(id, range ?? "24h"), ct) is { } series ? TypedResults.Ok(series) : TypedResults.NotFound())
            .WithSummary("One sensor's readings over range=24h|7d|30d (ending now) as min/mean/max per 5 min, 30 min or 2 h, with the thresholds "
                         + "of the rules that watch it.")
            .ProducesValidationProblem();
    }
}
