namespace SafeCities.Web.Areas.Alerts.Pages.Incidents;

/// <summary>
/// One section of an incident's page drawn again, alone (<c>/Alerts/Incidents/Section/{id}/cameras</c> or <c>…/lighting</c>): the incident
/// and responder pages fetch it when the module's report reaches the timeline, so the cameras and streetlights follow live with the same
/// markup as at load. Command staff only, as the pages (the Alerts area's policy).
/// </summary>
internal sealed class SectionModel : PageModel
{
    public IActionResult OnGet(Guid id, string name) => name switch
    {
        "cameras" => new ViewComponentResult { ViewComponentName = "IncidentCameras", Arguments = new { incidentId = id, saveClips = true } },
        "lighting" => new ViewComponentResult { ViewComponentName = "IncidentLighting", Arguments = new { incidentId = id } },
        _ => NotFound(),
    };
}
