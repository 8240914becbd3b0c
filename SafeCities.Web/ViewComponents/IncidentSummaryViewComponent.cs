using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Lighting.Contracts;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Video.Contracts;

namespace SafeCities.Web.ViewComponents;

/// <param name="Reacted">What "What reacted" says while no module has reported: "nothing yet" when a module reacts to the incident's kind,
/// else that none does (a citizen report, an air-quality alert: nothing is pending).</param>
public sealed record IncidentSummaryView(IncidentDto Incident, string Reacted);

/// <summary>
/// The incident page's summary, <c>#incident-summary</c>: where (the street address, coordinates secondary), what, when, how many rounds, what
/// reacted (filled in by <c>~/js/incident-detail.js</c> from the timeline), who acknowledged it and how it ended. Drawn again alone when someone
/// acknowledges, closes, reopens or corrects the incident while the page is open (ADR 0064).
/// </summary>
public sealed class IncidentSummaryViewComponent(ISender sender) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(IncidentDto incident)
    {
        var ct = HttpContext.RequestAborted;
        IReadOnlyList<string>[] kinds =
        [
            (await sender.Send(new GetLightingReactionSettingsQuery(), ct)).TriggerKinds,
            (await sender.Send(new GetVideoReactionSettingsQuery(), ct)).TriggerKinds,
            (await sender.Send(new GetPlatesReactionSettingsQuery(), ct)).TriggerKinds,
        ];
        var reacted = kinds.Any(k => k.Contains(incident.Kind)) ? "nothing yet"
            : $"none: lights, cameras and plate readers do not react to {IncidentKinds.Label(incident.Kind).ToLowerInvariant()} incidents";
        return View(new IncidentSummaryView(incident, reacted));
    }
}
