using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Web.Areas.Alerts.Pages.PublicAlerts;

/// <summary>One message of a public alert: a second person approves (or discards) a draft; an issued alert is updated or cancelled here.</summary>
[Authorize(Policy = PublicAlertPolicies.Issuers)]
internal sealed class DetailsModel(ISender sender, IConfiguration config) : PageModel
{
    public PublicAlertDto Alert { get; private set; } = null!;

    /// <summary>The two-person rule is on and this person drafted it: someone else must approve.</summary>
    public bool OwnDraft => config.GetValue("Alerts:PublicAlerts:TwoPersonRule", true)
                            && string.Equals(Alert.CreatedBy, User.Actor(), StringComparison.OrdinalIgnoreCase);

    /// <summary>The thread's newest issued message, not a Cancel: it can be updated or cancelled.</summary>
    public bool IsHead => Alert.State == PublicAlertStates.Issued && !Alert.Superseded && Alert.MsgType != "Cancel";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostApproveAsync(Guid id, CancellationToken ct) => RunAsync(id, new ApprovePublicAlertCommand(id, User.Actor()), ct);

    public Task<IActionResult> OnPostDiscardAsync(Guid id, CancellationToken ct) => RunAsync(id, new DiscardPublicAlertCommand(id, User.Actor()), ct);

    public Task<IActionResult> OnPostCancelAsync(Guid id, [FromForm] string? reason, CancellationToken ct) =>
        RunAsync(id, new CancelPublicAlertCommand(id, User.Actor(), reason), ct);

    private async Task<IActionResult> RunAsync(Guid id, ICommand<PublicAlertDto> command, CancellationToken ct)
    {
        try
        {
            var result = await sender.Send(command, ct);
            return RedirectToPage(new { id = result.Id });
        }
        catch (Exception ex) when (ex is DomainRuleException or ValidationException)
        {
            ModelState.AddModelError(string.Empty, ex is DomainRuleException d ? d.Message : string.Join(" ", ((ValidationException)ex).Errors.Select(e => e.ErrorMessage)));
            return await LoadAsync(id, ct) ? Page() : NotFound();
        }
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await sender.Send(new GetPublicAlertQuery(id), ct) is not { } alert)
            return false;
        Alert = alert;
        return true;
    }
}
