namespace SafeCities.Web.Areas.Plates.Pages.Incidents;

/// <summary>Phone-sized "vehicles seen" for one incident, live (the incident page embeds the same view component).</summary>
internal sealed class ReadsModel : PageModel
{
    public Guid IncidentId { get; private set; }

    public void OnGet(Guid incidentId) => IncidentId = incidentId;
}
