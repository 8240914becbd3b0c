using System.Security.Claims;
using FluentValidation;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.WebUtilities;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Purposes;

namespace SafeCities.Web.Pages.Shared;

/// <summary>
/// What a search or person page states (ADR 0047): case number, offence, purpose in words, and the approval it re-runs under; plus the approval
/// request the look-up waits for, when it waits. Rendered by <c>_PurposeFields</c>; every look-up page holds one.
/// </summary>
internal sealed class StatedPurposeForm
{
    public string? CaseNumber { get; set; }
    public string? Offence { get; set; }
    public string? Purpose { get; set; }
    public Guid? ApprovalId { get; set; }

    /// <summary>The approval request this look-up was queued as, or the approval it tried to use, as its requester sees it.</summary>
    public SearchApprovalDto? Approval { get; private set; }

    /// <summary>Why the look-up did not run (waits for approval, approval refused).</summary>
    public string? Refusal { get; private set; }

    /// <summary>The statement as a query string (for links to a person page under the same case); never the approval, which covers one look-up.</summary>
    public string Query => string.Join('&', new[] { ("caseNumber", CaseNumber), ("offence", Offence), ("purpose", Purpose) }
        .Where(p => !string.IsNullOrWhiteSpace(p.Item2)).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!.Trim())}"));

    /// <summary>True when something was stated: the page then runs the look-up (and the rules say what is missing).</summary>
    public bool Stated => !string.IsNullOrWhiteSpace(CaseNumber) || !string.IsNullOrWhiteSpace(Offence) || !string.IsNullOrWhiteSpace(Purpose);

    /// <summary>
    /// Runs a look-up made under this statement and, when it does not run, keeps why for the page: a rule broken (named on its field),
    /// a wait for a commander's approval or an approval that cannot be used (kept with the request's status, <c>_ApprovalStatus</c>), or a
    /// sharing rule (ADR 0041, 0051: said, not shown as an empty result).
    /// </summary>
    /// <returns>Whether the look-up ran.</returns>
    public async Task<bool> RunAsync(Func<Task> lookUp, ModelStateDictionary modelState, ISender sender, ClaimsPrincipal user, CancellationToken ct)
    {
        try
        {
            await lookUp();
            return true;
        }
        catch (ValidationException ex)
        {
            modelState.AddValidationErrors(ex);
        }
        catch (DomainRuleException ex) when (ex.Extensions.TryGetValue(ApprovalProblem.RequestId, out var request) && request is Guid id)
        {
            Refusal = ex.Message;
            Approval = await sender.Send(new GetSearchApprovalQuery(id, user.Actor(), Commander: false), ct);
        }
        catch (DomainRuleException ex) when (ex.StatusCode == StatusCodes.Status403Forbidden)
        {
            modelState.AddModelError(string.Empty, ex.Message);
        }
        return false;
    }

    /// <summary>This page's address with the approval's id: the same look-up again, under the approval.</summary>
    public static string RerunUrl(HttpRequest request, Guid approval)
    {
        var query = QueryHelpers.ParseQuery(request.QueryString.Value).Where(q => !q.Key.Equals("approvalId", StringComparison.OrdinalIgnoreCase))
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)));
        return QueryHelpers.AddQueryString(request.Path, query.Append(new("approvalId", approval.ToString())));
    }
}
