using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Alerts.Contracts;

namespace SafeCities.Web.Pages.Respond;

/// <summary>
/// The responding officer's phone view of one incident: what has happened (kind, address, time, status) first, the officer's own status
/// (acknowledged / en route / on scene, recorded for command staff), Navigate links for the phone's navigation app, the map with the officer's
/// own position, then cameras, lights and vehicles, and the timeline.
/// </summary>
[Authorize(Policy = Policies.IncidentResponders)]
internal sealed class IndexModel(ISender sender) : PageModel
{
    public IncidentDetailDto Detail { get; private set; } = null!;
    public string? MyStatus { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid incidentId, CancellationToken ct)
    {
        if (await sender.Send(new GetIncidentQuery(incidentId), ct) is not { } detail)
            return NotFound();
        Detail = detail;
        var me = User.Actor();
        MyStatus = (await sender.Send(new ListIncidentRespondersQuery(incidentId), ct)).FirstOrDefault(r => r.UserName == me)?.Status;
        return Page();
    }
}
