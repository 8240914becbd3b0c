using SafeCities.Modules.Alerts.Contracts;

namespace SafeCities.Web.Areas.Alerts.Pages.Incidents;

/// <summary>
/// One section of an incident's page drawn again, alone (<c>/Alerts/Incidents/Section/{id}/{name}</c>: <c>cameras</c>, <c>lighting</c>,
/// <c>adjudication</c>, <c>witnesses</c>, <c>responders</c>, <c>summary</c>, <c>actions</c>, <c>record</c>, <c>place</c>, <c>navigate</c>).
/// The incident and responder pages fetch it when the report it shows reaches the timeline, or when the incident's status, kind or place
/// changes, so that the cameras, the streetlights, a hit's decision, the witness statements, the officers responding, the summary, the
/// actions that apply, the status history and corrections, the address and the way there follow live with the same markup as at load
/// (ADR 0064). Command staff only, as the pages (the Alerts area's policy).
/// </summary>
internal sealed class SectionModel(ISender sender) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid id, string name, CancellationToken ct)
    {
        // Sections that read what they show by the incident's id.
        switch (name)
        {
            case "cameras": return Section("IncidentCameras", new { incidentId = id, saveClips = true });
            case "lighting": return Section("IncidentLighting", new { incidentId = id });
            case "witnesses": return Section("WitnessStatements", new { incidentId = id });
        }
        // Sections drawn from the incident itself (a hit's decision also reads its timeline's hit ids).
        if (await sender.Send(new GetIncidentQuery(id, WithTimeline: name == "adjudication"), ct) is not { } detail)
            return NotFound();
        return name switch
        {
            "adjudication" => Section("HitAdjudication", new { detail }),
            "summary" => Section("IncidentSummary", new { incident = detail.Incident }),
            "actions" => Section("IncidentActions", new { incident = detail.Incident }),
            "record" => Section("IncidentRecord", new { incident = detail.Incident, record = (IncidentRecordDto?)null }),
            "place" => Section("IncidentAddress", new { incident = detail.Incident, responders = true, part = "all" }),
            "responders" => Section("IncidentAddress", new { incident = detail.Incident, responders = true, part = "responders" }),
            "navigate" => Section("IncidentNavigate", new { incident = detail.Incident }),
            _ => NotFound(),
        };
    }

    private static ViewComponentResult Section(string component, object arguments) =>
        new() { ViewComponentName = component, Arguments = arguments };
}
