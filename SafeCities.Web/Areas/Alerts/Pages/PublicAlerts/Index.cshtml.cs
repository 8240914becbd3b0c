using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Alerts.Contracts;

namespace SafeCities.Web.Areas.Alerts.Pages.PublicAlerts;

/// <summary>Commanders' list of public alert messages: drafts waiting for a second person first, then what is public, then the rest.</summary>
[Authorize(Policy = PublicAlertPolicies.Issuers)]
internal sealed class IndexModel(ISender sender) : PageModel
{
    public IReadOnlyList<PublicAlertDto> Alerts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var all = await sender.Send(new ListPublicAlertsQuery(200), ct);
        Alerts = [.. all.OrderBy(a => a.State == PublicAlertStates.Draft ? 0 : a.Current ? 1 : 2).ThenByDescending(a => a.Sent ?? a.CreatedAt)];
    }
}
