using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using SafeCities.Modules.Alerts.Contracts;

namespace SafeCities.Web.Pages.PublicAlerts;

/// <summary>The confirmation link of a sign-up: GET only shows a button (mail scanners follow links), the POST confirms.</summary>
[AllowAnonymous]
[EnableRateLimiting(CitizenReportLimits.RateLimitPolicy)]
internal sealed class ConfirmModel(ISender sender) : PageModel
{
    public bool? Done { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken ct)
    {
        Done = await sender.Send(new ConfirmAlertSubscriptionCommand(token), ct);
        if (Done != true)
            Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
