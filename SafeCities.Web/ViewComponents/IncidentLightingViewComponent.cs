using SafeCities.Modules.Lighting.Contracts;

namespace SafeCities.Web.ViewComponents;

/// <summary>
/// What Lighting did for an incident: the decision line, each light raised / restored / failed, and the lights as JSON
/// (<c>#incident-lights-data</c>: name, latitude, longitude, level, state) for the incident map.
/// Use: <c>@await Component.InvokeAsync("IncidentLighting", new { incidentId = …})</c>.
/// </summary>
public sealed class IncidentLightingViewComponent(ISender sender) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid incidentId)
    {
        var lighting = await sender.Send(new GetIncidentLightingQuery(incidentId), HttpContext.RequestAborted);
        var lights = (lighting?.Lights ?? []).Select(l => new { l.Name, l.Latitude, l.Longitude, l.Level, l.State }).ToList();
        return View(new IncidentLightingViewModel(incidentId, lighting, lights));
    }
}

/// <param name="LightsData">What the map draws of each light (incident-lights.js).</param>
internal sealed record IncidentLightingViewModel(Guid IncidentId, IncidentLightingDto? Lighting, object LightsData);
