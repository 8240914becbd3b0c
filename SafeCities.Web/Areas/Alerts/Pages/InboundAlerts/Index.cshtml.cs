using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Alerts.Contracts;

namespace SafeCities.Web.Areas.Alerts.Pages.InboundAlerts;

/// <summary>Command staff: the CAP alerts other authorities pushed to us that are in force, in a list and on a map.</summary>
[Authorize(Policy = Policies.CommandStaff)]
internal sealed class IndexModel(ISender sender) : PageModel
{
    public IReadOnlyList<InboundCapAlertViewDto> Alerts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Alerts = await sender.Send(new ListCurrentInboundCapAlertsQuery(), ct);
}
