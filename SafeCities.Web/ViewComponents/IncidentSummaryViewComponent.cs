using SafeCities.Modules.Alerts.Contracts;

namespace SafeCities.Web.ViewComponents;

/// <summary>
/// The incident page's summary, <c>#incident-summary</c>: where (the street address, coordinates secondary), what, when, how many rounds, what
/// reacted (filled in by <c>~/js/incident-detail.js</c> from the timeline), who acknowledged it and how it ended. Drawn again alone when someone
/// acknowledges, closes, reopens or corrects the incident while the page is open (ADR 0064).
/// </summary>
public sealed class IncidentSummaryViewComponent : ViewComponent
{
    public IViewComponentResult Invoke(IncidentDto incident) => View(incident);
}
