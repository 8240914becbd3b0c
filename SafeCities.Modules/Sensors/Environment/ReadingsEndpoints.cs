using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Sensors.Environment;

internal static class ReadingsEndpoints
{
    public static void Map(IEndpointRouteBuilder app) =>
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
}
