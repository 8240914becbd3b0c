using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Plates.Contracts;

namespace SafeCities.Web.ViewComponents;

/// <summary>
/// The hits behind a hotlist-hit incident (its timeline's Plates "HotlistHit" entries are the hit ids), each unconfirmed until someone confirms or
/// rejects it with a reason (ADR 0043): the picture, the read's make and colour against the entry's, the match kind and the entry's age, with the
/// decision form (<c>~/js/hit-adjudication.js</c>) for those who may act. Renders nothing for other incidents.
/// </summary>
public sealed class HitAdjudicationViewComponent(ISender sender, IAuthorizationService authorization, TimeProvider clock) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(IncidentDetailDto detail)
    {
        if (detail.Incident.Kind != IncidentKinds.HotlistHit)
            return Content("");
        var ids = detail.Timeline.Where(t => t is { Module: "Plates", Kind: "HotlistHit" }).Select(t => t.Id).Append(detail.Incident.Id).ToList();
        var user = HttpContext.User;
        var hits = await sender.Send(new GetHotlistHitsQuery(ids, user.IsInAnyRole(Roles.Analysts)), HttpContext.RequestAborted);
        var canDecide = (await authorization.AuthorizeAsync(user, Policies.IncidentResponders)).Succeeded;
        return View(new HitAdjudicationModel(hits, canDecide, clock.GetUtcNow()));
    }
}

public sealed record HitAdjudicationModel(IReadOnlyList<HotlistHitDto> Hits, bool CanDecide, DateTimeOffset Now);
