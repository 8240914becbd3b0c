using SafeCities.Modules.Video.Contracts;

namespace SafeCities.Web.ViewComponents;

/// <summary>
/// An incident's evidence clips (camera, when, duration, size, SHA-256, download) and, for those who may save one, a "Save clip" button per
/// camera that has a bookmark for the incident and an RTSP stream (wwwroot/js/evidence-clips.js).
/// Use: <c>@await Component.InvokeAsync("EvidenceClips", new { incidentId })</c>.
/// </summary>
public sealed class EvidenceClipsViewComponent(ISender sender) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid incidentId)
    {
        var clips = await sender.Send(new ListEvidenceClipsQuery(incidentId), HttpContext.RequestAborted);
        var canSave = UserClaimsPrincipal.IsInAnyRole(Roles.Responders);
        var cameras = canSave
            ? (await sender.Send(new GetIncidentCamerasQuery(incidentId), HttpContext.RequestAborted))
                .Where(c => c.BookmarkFrom is not null && LiveVideo.IsRelayable(c.StreamUrl)).ToList()
            : [];
        return View(new EvidenceClipsView(incidentId, clips, cameras));
    }
}

public sealed record EvidenceClipsView(Guid IncidentId, IReadOnlyList<EvidenceClipDto> Clips, IReadOnlyList<IncidentCameraDto> Recordable);
