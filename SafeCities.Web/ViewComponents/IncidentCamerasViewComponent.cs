using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Video.Contracts;

namespace SafeCities.Web.ViewComponents;

/// <summary>
/// The cameras of an incident's reaction, nearest first, with their live stream links (phone-sized) and "Save clip", and the same data as JSON
/// (<c>#incident-cameras-data</c>) for <c>window.safecities.drawCameras(map, cameras)</c> (wwwroot/js/camera-cones.js).
/// Use: <c>@await Component.InvokeAsync("IncidentCameras", new { incidentId = incident.Id })</c> (the <c>vc:</c> tag helper would generate an
/// unsealed class, which the architecture tests refuse).
/// </summary>
public sealed class IncidentCamerasViewComponent(ISender sender) : ViewComponent
{
    /// <param name="saveClips">Offer "Save clip" on each bookmarked camera with an RTSP stream, to those who may save one (the incident's
    /// sections, where the evidence list and wwwroot/js/evidence-clips.js are).</param>
    public async Task<IViewComponentResult> InvokeAsync(Guid incidentId, bool saveClips = false)
    {
        var cameras = await sender.Send(new GetIncidentCamerasQuery(incidentId), HttpContext.RequestAborted);
        // Of these, the ones device health counts as not working (their latest command failed, or silent where the kind has a threshold).
        var unhealthy = cameras.Count == 0 ? 0 : (await sender.Send(new ListDeviceHealthQuery(VideoDeviceKinds.Camera), HttpContext.RequestAborted))
            .Count(h => h.Status is DeviceHealthStatus.Failing or DeviceHealthStatus.Silent && cameras.Any(c => c.CameraId == h.Id));
        // With no camera listed, why: Video's own sentence (none in range, nearest so far; fixed ones facing away; PTZs that cannot pan there).
        var reaction = cameras.Count > 0 ? null : await sender.Send(new GetIncidentCameraReactionQuery(incidentId), HttpContext.RequestAborted);
        return View(new IncidentCamerasView(cameras, unhealthy,
            saveClips && EvidenceClipsViewComponent.MaySaveClips(UserClaimsPrincipal), reaction));
    }
}

/// <param name="Unhealthy">How many of <paramref name="Cameras"/> device health counts as failing or silent.</param>
/// <param name="CanSaveClips">"Save clip" is offered on each camera with a bookmark for the incident and an RTSP stream.</param>
/// <param name="Reaction">Video's reaction when no camera is listed (null when it has not reacted, or when cameras are listed).</param>
public sealed record IncidentCamerasView(IReadOnlyList<IncidentCameraDto> Cameras, int Unhealthy = 0, bool CanSaveClips = false,
    IncidentCameraReactionDto? Reaction = null)
{
    public bool CanSaveClip(IncidentCameraDto camera) => CanSaveClips && camera.BookmarkFrom is not null && LiveVideo.IsRelayable(camera.StreamUrl);
}
