using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Platform.Contracts;

namespace SafeCities.Web.ViewComponents;

/// <summary>
/// Where an incident is in words (the city's address points, <see cref="ReverseGeocodeQuery"/>) and, for command staff, which officers have
/// acknowledged it or are en route / on scene (their latest status, city time). One element, <c>#incident-address</c>.
/// Use: <c>@await Component.InvokeAsync("IncidentAddress", new { incident = i, responders = true, part = "all" })</c>; <c>part</c> is
/// <c>all</c> (address with coordinates, then responders), <c>place</c> (address first, coordinates smaller below: the incident page's
/// "Where" cell) or <c>responders</c> (the responders line alone), so a page shows the place once.
/// </summary>
public sealed class IncidentAddressViewComponent(ISender sender) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(IncidentDto incident, bool responders, string part)
    {
        var address = IncidentAddressView.Shows(part) ? await sender.Send(new ReverseGeocodeQuery(incident.Latitude, incident.Longitude), HttpContext.RequestAborted) : null;
        var list = responders ? await sender.Send(new ListIncidentRespondersQuery(incident.Id), HttpContext.RequestAborted) : [];
        return View(new IncidentAddressView(address, incident.Latitude, incident.Longitude, responders, list, part));
    }
}

public sealed record IncidentAddressView(string? Address, double Latitude, double Longitude, bool ShowResponders, IReadOnlyList<ResponderStatusDto> Responders,
    string Part)
{
    public static bool Shows(string part) => part is "all" or "place";

    public bool ShowPlace => Shows(Part);

    /// <summary>The incident page's "Where" cell: the address first, the coordinates smaller below it.</summary>
    public bool CoordinatesBelow => Part == "place";
}
