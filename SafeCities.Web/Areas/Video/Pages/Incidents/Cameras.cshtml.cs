using SafeCities.Modules.Alerts.Contracts;

namespace SafeCities.Web.Areas.Video.Pages.Incidents;

/// <summary>A responder's phone-sized view of an incident's cameras: map with cones and bearings, stream links.</summary>
internal sealed class CamerasModel(ISender sender) : PageModel
{
    public IncidentDto Incident { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await sender.Send(new GetIncidentQuery(id, WithTimeline: false), ct) is not { } detail)
            return NotFound();
        Incident = detail.Incident;
        return Page();
    }
}
