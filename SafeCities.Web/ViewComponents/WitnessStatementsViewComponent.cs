using SafeCities.Modules.Alerts.Contracts;

namespace SafeCities.Web.ViewComponents;

/// <summary>
/// Citizen reports attached to an incident as witness statements: listed on the incident page, and pinned on its map by
/// <c>~/js/witness-statements.js</c>. Photos and the reporter's contact open through the triage page's audited handlers.
/// Public because MVC discovers only public view components.
/// </summary>
public sealed class WitnessStatementsViewComponent(ISender sender) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid incidentId) =>
        View(new WitnessStatementsModel(incidentId, await sender.Send(new ListWitnessStatementsQuery(incidentId), HttpContext.RequestAborted)));
}

public sealed record WitnessStatementsModel(Guid IncidentId, IReadOnlyList<CitizenReportDto> Statements);
