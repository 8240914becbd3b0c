using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Platform.Contracts;

namespace SafeCities.Web.Pages;

[Microsoft.AspNetCore.Authorization.Authorize(Policy = Policies.CommandStaff)]
internal sealed class IndexModel(ISender sender) : PageModel
{
    /// <summary>The open and acknowledged incidents, the most recently active first (the board draws them at load).</summary>
    public IReadOnlyList<IncidentDto> Incidents { get; private set; } = [];

    public bool CanRespond { get; private set; }

    /// <summary>The city's police districts (code, name) for the district filter; the user's own district is chosen first.</summary>
    public IReadOnlyList<DistrictDto> Districts { get; private set; } = [];

    public string? MyDistrict { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var open = await sender.Send(new ListIncidentsQuery(IncidentStatus.Open), ct);
        var acknowledged = await sender.Send(new ListIncidentsQuery(IncidentStatus.Acknowledged), ct);
        Incidents = open.Concat(acknowledged).OrderByDescending(i => i.LastActivityAt).ToList();
        CanRespond = User.IsInAnyRole(Roles.Responders);
        Districts = await sender.Send(new ListDistrictsQuery(), ct);
        MyDistrict = User.FindFirst(Policies.DistrictClaim)?.Value is { } mine && Districts.Any(d => d.Code == mine) ? mine : null;
    }
}
