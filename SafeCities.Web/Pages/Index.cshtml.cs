using System.Text.Json;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Platform.Contracts;

namespace SafeCities.Web.Pages;

[Microsoft.AspNetCore.Authorization.Authorize(Policy = Policies.CommandStaff)]
internal sealed class IndexModel(ISender sender) : PageModel
{
    public string IncidentsJson { get; private set; } = "[]";
    public bool CanRespond { get; private set; }

    /// <summary>The city's police districts (code, name) for the district filter; the user's own district is chosen first.</summary>
    public IReadOnlyList<DistrictDto> Districts { get; private set; } = [];

    public string? MyDistrict { get; private set; }

    /// <summary>The outcomes per kind for the board's close dialog.</summary>
    public string OutcomesJson { get; } = JsonSerializer.Serialize(IncidentOutcomes.ByKind, JsonSerializerOptions.Web).Replace("<", "\\u003c");

    public async Task OnGetAsync(CancellationToken ct)
    {
        var open = await sender.Send(new ListIncidentsQuery(IncidentStatus.Open), ct);
        var acknowledged = await sender.Send(new ListIncidentsQuery(IncidentStatus.Acknowledged), ct);
        IncidentsJson = JsonSerializer.Serialize(open.Concat(acknowledged).OrderByDescending(i => i.LastActivityAt), JsonSerializerOptions.Web)
            .Replace("<", "\\u003c");
        CanRespond = User.IsInAnyRole(Roles.Responders);
        Districts = await sender.Send(new ListDistrictsQuery(), ct);
        MyDistrict = User.FindFirst(Policies.DistrictClaim)?.Value is { } mine && Districts.Any(d => d.Code == mine) ? mine : null;
    }
}
