using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Alerts.Contracts;

namespace SafeCities.Web.Pages.PublicAlerts;

/// <summary>
/// Public (no sign-in, phone-first): the current public alerts on a map and in a list, in English or Spanish as each alert provides, with
/// "alerts near me" (the browser's location, never sent anywhere: distances are computed on the phone).
/// </summary>
[AllowAnonymous]
internal sealed class IndexModel(ISender sender) : PageModel
{
    public IReadOnlyList<PublicAlertViewDto> Alerts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Alerts = await sender.Send(new ListCurrentPublicAlertsQuery(), ct);
}
