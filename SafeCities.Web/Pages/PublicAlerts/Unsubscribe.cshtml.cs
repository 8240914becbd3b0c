using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using SafeCities.Modules.Alerts.Contracts;

namespace SafeCities.Web.Pages.PublicAlerts;

/// <summary>The unsubscribe link every message carries: GET only shows a button, the POST deletes the subscription and its records.</summary>
[AllowAnonymous]
[EnableRateLimiting(CitizenReportLimits.RateLimitPolicy)]
internal sealed class UnsubscribeModel(ISender sender) : PageModel
{
    public bool? Done { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken ct)
    {
        Done = await sender.Send(new UnsubscribeFromAlertsCommand(token), ct);
        if (Done != true)
            Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
