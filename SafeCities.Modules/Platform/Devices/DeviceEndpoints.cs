using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Shared.Devices;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Platform.Devices;

/// <summary>Body of <c>PUT /api/v1/devices/{id}</c>.</summary>
internal sealed record EditDeviceRequest(string Name, double Latitude, double Longitude, double? ElevationMeters = null);

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
        api.MapPut("/{id:guid}", async Task<Results<Ok<DeviceDto>, NotFound>> (Guid id, EditDeviceRequest body, ClaimsPrincipal user, ISender sender,
                CancellationToken ct) => await sender.Send(new EditDeviceCommand(id, body.Name, body.Latitude, body.Longitude, body.ElevationMeters, user.Actor()), ct)
                is { } device ? TypedResults.Ok(device) : TypedResults.NotFound())
            .WithSummary("Rename or move a device (kind and module settings stay). Audited with before and after.")
            .ProducesValidationProblem();
        api.MapPost("/{id:guid}/key", async Task<Results<Ok<DeviceKeyChangeDto>, NotFound>> (Guid id, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                await sender.Send(new ChangeDeviceKeyCommand(id, true, user.Actor()), ct) is { } change ? TypedResults.Ok(change) : TypedResults.NotFound())
            .WithSummary("Replace a device's key: the old one stops working at once; the new one is answered once.");
        api.MapDelete("/{id:guid}/key", async Task<Results<NoContent, NotFound>> (Guid id, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                await sender.Send(new ChangeDeviceKeyCommand(id, false, user.Actor()), ct) is null ? TypedResults.NotFound() : TypedResults.NoContent())
            .WithSummary("Revoke a device's key: the device can no longer report until a new key is issued.");
    }
}
