using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SafeCities.Modules.Shared.Devices;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Platform.Devices;

internal static class DeviceEndpoints
{
    public static void MapDeviceEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/devices").WithTags("Devices").RequireAuthorization(Policies.Administrators);
        api.MapPost("/", async (RegisterDeviceRequest body, ClaimsPrincipal user, DeviceRegistry registry, CancellationToken ct) =>
            {
                var registered = await registry.RegisterAsync(body, user.Actor(), ct);
                return TypedResults.Created($"/api/v1/devices?kind={registered.Device.Kind}", new { id = registered.Id, apiKey = registered.ApiKey });
            })
            .WithSummary("Register a device; answers its own API key once (stored hashed).")
            .ProducesValidationProblem();
        api.MapGet("/", async (string? kind, DeviceRegistry registry, CancellationToken ct) => TypedResults.Ok(await registry.ListAsync(kind, ct)))
            .WithSummary("List registered devices, optionally of one kind.")
            .Produces<IReadOnlyList<DeviceDto>>()
            .ProducesValidationProblem();
    }
}
