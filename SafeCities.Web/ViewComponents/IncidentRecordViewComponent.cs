using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Alerts.Contracts;

namespace SafeCities.Web.ViewComponents;

/// <summary>
/// The incident's record below its notes, <c>#incident-record</c>: the status history, the changes of kind and location, and for those who may
/// act the form to correct them. The form carries the kind and place it was drawn with, so that a change someone else made meanwhile is not
/// undone by fields this user left as they were (the page sends only what the user changed). Drawn again alone when the incident's status,
/// kind or place changes while the page is open (ADR 0064).
/// </summary>
public sealed class IncidentRecordViewComponent(ISender sender, IAuthorizationService authorization) : ViewComponent
{
    /// <param name="record">The record when the page has it already; otherwise it is read.</param>
    public async Task<IViewComponentResult> InvokeAsync(IncidentDto incident, IncidentRecordDto? record = null)
    {
        record ??= await sender.Send(new GetIncidentRecordQuery(incident.Id), HttpContext.RequestAborted) ?? new IncidentRecordDto([], []);
        var canRespond = (await authorization.AuthorizeAsync(HttpContext.User, Policies.IncidentResponders)).Succeeded;
        return View(new IncidentRecordModel(incident, record, canRespond));
    }
}

public sealed record IncidentRecordModel(IncidentDto Incident, IncidentRecordDto Record, bool CanRespond);
