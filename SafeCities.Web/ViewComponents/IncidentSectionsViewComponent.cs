namespace SafeCities.Web.ViewComponents;

/// <summary>What every module has done for an incident (cameras, plate reads, lights), for the incident and responder pages.</summary>
public sealed class IncidentSectionsViewComponent : ViewComponent
{
    public IViewComponentResult Invoke(Guid incidentId, bool compact) => View(new IncidentSectionsModel(incidentId, compact));
}

public sealed record IncidentSectionsModel(Guid IncidentId, bool Compact);
