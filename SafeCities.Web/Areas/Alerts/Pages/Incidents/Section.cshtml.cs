using SafeCities.Modules.Alerts.Contracts;

namespace SafeCities.Web.Areas.Alerts.Pages.Incidents;

/// <summary>
/// One section of an incident's page drawn again, alone (<c>/Alerts/Incidents/Section/{id}/cameras</c>, <c>…/lighting</c>,
/// <c>…/adjudication</c> or <c>…/witnesses</c>): the incident and responder pages fetch it when the report it shows reaches the timeline, so
/// the cameras, the streetlights, a hit's decision and the witness statements follow live with the same markup as at load. Command staff
/// only, as the pages (the Alerts area's policy).
/// </summary>
internal sealed class SectionModel(ISender sender) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid id, string name, CancellationToken ct) => name switch
    {
        "cameras" => Section("IncidentCameras", new { incidentId = id, saveClips = true }),
        "lighting" => Section("IncidentLighting", new { incidentId = id }),
        "witnesses" => Section("WitnessStatements", new { incidentId = id }),
        "adjudication" => await sender.Send(new GetIncidentQuery(id), ct) is { } detail ? Section("HitAdjudication", new { detail }) : NotFound(),
        _ => NotFound(),
    };

    private static ViewComponentResult Section(string component, object arguments) =>
        new() { ViewComponentName = component, Arguments = arguments };
}
