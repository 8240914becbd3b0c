using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Purposes;

namespace SafeCities.Web.Pages;

/// <summary>
/// The commanders' queue of look-ups waiting for approval (ADR 0047): who asked, what exactly (the terms), why (case, offence, purpose, and why it
/// needs approval); approve or deny with a reason. Never one's own request. The latest decisions are listed below.
/// </summary>
[Authorize(Policy = Policies.SearchApprovers)]
internal sealed class ApprovalsModel(ISender sender) : PageModel
{
    public IReadOnlyList<SearchApprovalDto> Pending { get; private set; } = [];
    public IReadOnlyList<SearchApprovalDto> Decided { get; private set; } = [];
    public string? Notice { get; private set; }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(Guid id, bool approve, string? reason, CancellationToken ct)
    {
        try
        {
            var decided = await sender.Send(new DecideSearchApprovalCommand(id, User.Actor(), approve, reason), ct);
            Notice = $"{(approve ? "Approved" : "Denied")}: {decided.RequestedBy}'s {decided.LookupKind} look-up.";
        }
        catch (ValidationException ex)
        {
            ModelState.AddValidationErrors(ex);
        }
        catch (DomainRuleException ex)
        {
            ModelState.AddModelError(string.Empty, ex.Message);
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Pending = await sender.Send(new ListSearchApprovalsQuery(SearchApprovalStatuses.Pending), ct);
        Decided = (await sender.Send(new ListSearchApprovalsQuery(null, Limit: 60), ct)).Where(a => a.Status != SearchApprovalStatuses.Pending).Take(20).ToList();
    }

    /// <summary>The look-up's terms as "name: value" lines (what exactly was asked).</summary>
    public static IEnumerable<string> Terms(string json)
    {
        using var doc = JsonDocument.Parse(json);
        foreach (var p in doc.RootElement.EnumerateObject())
            yield return $"{p.Name}: {(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())}";
    }
}
