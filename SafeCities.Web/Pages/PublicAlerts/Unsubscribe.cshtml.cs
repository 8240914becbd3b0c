using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using SafeCities.Modules.Alerts.Contracts;

namespace SafeCities.Web.Pages.PublicAlerts;

/// <summary>The unsubscribe link every message carries: GET only shows a button, the POST deletes the subscription and its records.</summary>
[AllowAnonymous]
[EnableRateLimiting(CitizenReportLimits.RateLimitPolicy)]
internal sealed class UnsubscribeModel(ISender sender) : TokenLinkModel(sender)
{
    protected override ValueTask<bool> ActAsync(ISender sender, string token, CancellationToken ct) => sender.Send(new UnsubscribeFromAlertsCommand(token), ct);
}
