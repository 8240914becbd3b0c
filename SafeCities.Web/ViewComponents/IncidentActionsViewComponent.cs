using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Alerts.Contracts;

namespace SafeCities.Web.ViewComponents;

/// <summary>
/// The incident page's actions for those who may act on it, <c>#incident-actions</c>: Acknowledge while open, Close (the page's close
/// dialog) until closed, Reopen once closed, and the responder view. Drawn again alone when the status changes while the page is open
/// (ADR 0064), so that what someone else did elsewhere leaves no button that would be refused and brings back the one that now applies.
/// </summary>
public sealed class IncidentActionsViewComponent(IAuthorizationService authorization) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(IncidentDto incident) =>
        (await authorization.AuthorizeAsync(HttpContext.User, Policies.IncidentResponders)).Succeeded ? View(incident) : Content("");
}
