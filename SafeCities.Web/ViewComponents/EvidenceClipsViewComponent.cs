using SafeCities.Modules.Video.Contracts;

namespace SafeCities.Web.ViewComponents;

/// <summary>
/// An incident's evidence clips (camera, when, duration, size, SHA-256, download), and for those who may save one the status line of the
/// "Save clip" buttons the cameras section offers (wwwroot/js/evidence-clips.js).
/// Use: <c>@await Component.InvokeAsync("EvidenceClips", new { incidentId })</c>.
/// </summary>
public sealed class EvidenceClipsViewComponent(ISender sender) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid incidentId) =>
        View(new EvidenceClipsView(incidentId, await sender.Send(new ListEvidenceClipsQuery(incidentId), HttpContext.RequestAborted),
            MaySaveClips(UserClaimsPrincipal)));

    /// <summary>Who may press "Save clip" (the API's own rule is the responders' policy): the cameras section offers it, this one reports it.</summary>
    internal static bool MaySaveClips(System.Security.Claims.ClaimsPrincipal user) => user.IsInAnyRole(Roles.Responders);
}

public sealed record EvidenceClipsView(Guid IncidentId, IReadOnlyList<EvidenceClipDto> Clips, bool CanSaveClips);
