namespace SafeCities.Web.Areas.Lighting.Pages.Incidents;

/// <summary>The lights of one incident on their own page (the same view component the incident page embeds).</summary>
internal sealed class DetailsModel : PageModel
{
    public Guid IncidentId { get; private set; }

    public void OnGet(Guid id) => IncidentId = id;
}
