using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Alerts.Contracts;

namespace SafeCities.Web.Pages.Respond;

/// <summary>The responding officer's phone view of one incident: where, how far, live video links, vehicles, lights, timeline.</summary>
[Authorize(Policy = Policies.IncidentResponders)]
internal sealed class IndexModel(ISender sender) : PageModel
{
    public IncidentDetailDto Detail { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid incidentId, CancellationToken ct)
    {
        if (await sender.Send(new GetIncidentQuery(incidentId), ct) is not { } detail)
            return NotFound();
        Detail = detail;
        return Page();
    }
}
