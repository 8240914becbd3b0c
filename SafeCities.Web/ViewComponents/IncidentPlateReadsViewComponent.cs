using SafeCities.Modules.Plates.Contracts;

namespace SafeCities.Web.ViewComponents;

/// <summary>
/// "Vehicles seen": the plate reads tied to an incident, newest first. Usage:
/// <c>@await Component.InvokeAsync("IncidentPlateReads", new { incidentId = i.Id })</c> plus <c>~/js/incident-plates.js</c>, whose
/// <c>window.safecities.refreshPlateReads()</c> re-renders the list from the API (call it when a Plates timeline entry arrives).
/// Public because MVC discovers only public view components.
/// </summary>
public sealed class IncidentPlateReadsViewComponent(ISender sender) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid incidentId, bool live = false) =>
        View(new IncidentPlateReadsModel(incidentId, live, await sender.Send(new GetIncidentPlateReadsQuery(incidentId), HttpContext.RequestAborted)));
}

/// <param name="Live">The component connects to the incident hub itself (pages that do not already).</param>
public sealed record IncidentPlateReadsModel(Guid IncidentId, bool Live, IReadOnlyList<IncidentPlateReadDto> Reads);
