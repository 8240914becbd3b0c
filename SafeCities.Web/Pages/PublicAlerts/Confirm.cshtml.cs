using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using SafeCities.Modules.Alerts.Contracts;

namespace SafeCities.Web.Pages.PublicAlerts;

/// <summary>The confirmation link of a sign-up: GET only shows a button (mail scanners follow links), the POST confirms.</summary>
[AllowAnonymous]
[EnableRateLimiting(CitizenReportLimits.RateLimitPolicy)]
internal sealed class ConfirmModel(ISender sender) : TokenLinkModel(sender)
{
    protected override ValueTask<bool> ActAsync(ISender sender, string token, CancellationToken ct) => sender.Send(new ConfirmAlertSubscriptionCommand(token), ct);
}
