using SafeCities.Modules.Alerts.Contracts;

namespace SafeCities.Web.Pages.Admin;

/// <summary>Public-alert subscribers and their deliveries (ADR 0040): counts by channel and state, the failing and failed deliveries with
/// their errors, and "send the failed ones again" once the cause (an SMTP server, a gateway) is fixed. Addresses are not shown.</summary>
internal sealed class AlertSubscribersModel(ISender sender) : PageModel
{
    public AlertDeliveryStatusDto Status { get; private set; } = new(0, 0, [], []);

    public string? Notice { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Status = await sender.Send(new GetAlertDeliveryStatusQuery(), ct);

    public async Task<IActionResult> OnPostRetryAsync(CancellationToken ct)
    {
        var count = await sender.Send(new RetryFailedAlertDeliveriesCommand(User.Identity!.Name!), ct);
        Notice = $"{count} failed deliveries are being sent again.";
        Status = await sender.Send(new GetAlertDeliveryStatusQuery(), ct);
        return Page();
    }
}
