using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SafeCities.Modules.Shared.Security;
using SafeCities.Modules.Video.Contracts;

namespace SafeCities.Modules.Video;

/// <summary>Body of <c>PUT /api/v1/video/settings</c>.</summary>
internal sealed record VideoReactionSettingsRequest(IReadOnlyList<string> TriggerKinds, int PreSeconds, int PostMinutes, int MaxPtzCameras);

internal static class VideoEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/video").WithTags("Video");
        api.MapGet("/incidents/{id:guid}/cameras", async (Guid id, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new GetIncidentCamerasQuery(id), ct)))
            .RequireAuthorization(Policies.CommandStaff)
            .WithSummary("The cameras of an incident's reaction, nearest first: bearing, tilt, distance, stream link, bookmark window, status.")
            .Produces<IReadOnlyList<IncidentCameraDto>>();
        api.MapGet("/settings", async (ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new GetVideoReactionSettingsQuery(), ct)))
            .RequireAuthorization(Policies.Administrators)
            .WithSummary("How cameras react to incidents.")
            .Produces<VideoReactionSettingsDto>();
        api.MapPut("/settings", async (VideoReactionSettingsRequest body, ClaimsPrincipal user, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new UpdateVideoReactionSettingsCommand(body.TriggerKinds, body.PreSeconds, body.PostMinutes,
                    body.MaxPtzCameras, user.Actor()), ct)))
            .RequireAuthorization(Policies.Administrators)
            .WithSummary("Change how cameras react to incidents (audited).")
            .Produces<VideoReactionSettingsDto>()
            .ProducesValidationProblem();
    }
}
