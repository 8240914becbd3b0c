using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Security;
using SafeCities.Modules.Video.Contracts;
using SafeCities.Modules.Video.Data;

namespace SafeCities.Modules.Video.Evidence;

/// <summary>Body of <c>POST /api/v1/video/incidents/{id}/cameras/{cameraId}/clips</c>.</summary>
internal sealed record SaveEvidenceClipRequest(int? Seconds = null);

internal static class EvidenceEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/video").WithTags("Video");
        api.MapPost("/incidents/{id:guid}/cameras/{cameraId:guid}/clips", async (Guid id, Guid cameraId, SaveEvidenceClipRequest? body, ClaimsPrincipal user,
                ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new SaveEvidenceClipCommand(id, cameraId, body?.Seconds, user.Actor()), ct)))
            .RequireAuthorization(Policies.IncidentResponders)
            .WithSummary("Record the camera's stream as an evidence clip of the incident (answers when written, with its SHA-256; audited).")
            .Produces<EvidenceClipDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/incidents/{id:guid}/clips", async (Guid id, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListEvidenceClipsQuery(id), ct)))
            .RequireAuthorization(Policies.CommandStaff)
            .WithSummary("The evidence clips saved for an incident, newest first, with their SHA-256.")
            .Produces<IReadOnlyList<EvidenceClipDto>>();
        api.MapGet("/clips/{clipId:guid}", async Task<IResult> (Guid clipId, VideoDbContext db, ClipRecorder recorder, ClaimsPrincipal user,
                TimeProvider clock, CancellationToken ct) =>
            {
                var clip = await db.EvidenceClips.AsNoTracking().FirstOrDefaultAsync(c => c.Id == clipId, ct);
                var path = clip?.FileName is { } name ? recorder.PathOf(name) : null;
                if (clip is null || path is null || !File.Exists(path))
                    return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such clip.");
                await db.AuditAsync(user.Actor(), "Video", "clip.downloaded", null, new { clip.Id, clip.IncidentId, clip.Sha256 }, clock.GetUtcNow(), ct);
                return TypedResults.PhysicalFile(path!, "video/mp4", $"incident-{clip.IncidentId:N}-clip-{clip.Id:N}.mp4");
            })
            .RequireAuthorization(Policies.CommandStaff)
            .WithSummary("Download an evidence clip (MP4; the download is audited). Its SHA-256 is in the clip list.");
    }
}
