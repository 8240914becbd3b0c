using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Platform.Contracts;

namespace SafeCities.Web.ViewComponents;

/// <summary>
/// Where an incident is in words (the city's address points, <see cref="ReverseGeocodeQuery"/>) and, for command staff, which officers have
/// acknowledged it or are en route / on scene (their latest status, city time). One element, <c>#incident-address</c>.
/// Use: <c>@await Component.InvokeAsync("IncidentAddress", new { incident = i, responders = true })</c>.
/// </summary>
public sealed class IncidentAddressViewComponent(ISender sender) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(IncidentDto incident, bool responders)
    {
        var address = await sender.Send(new ReverseGeocodeQuery(incident.Latitude, incident.Longitude), HttpContext.RequestAborted);
        var list = responders ? await sender.Send(new ListIncidentRespondersQuery(incident.Id), HttpContext.RequestAborted) : [];
        return View(new IncidentAddressView(address, incident.Latitude, incident.Longitude, responders, list));
    }
}

public sealed record IncidentAddressView(string? Address, double Latitude, double Longitude, bool ShowResponders, IReadOnlyList<ResponderStatusDto> Responders);
