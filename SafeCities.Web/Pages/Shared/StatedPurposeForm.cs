using System.Security.Claims;
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

    /// <summary>A refusal that concerns an approval (the look-up was queued, or its approval cannot be used); not another refusal (a sharing rule).</summary>
    public static bool IsApproval(DomainRuleException e) => e.Extensions.TryGetValue(ApprovalProblem.RequestId, out var value) && value is Guid;

    /// <summary>Keeps such a refusal with the request's status for the page.</summary>
    public async Task TakeAsync(DomainRuleException e, ISender sender, ClaimsPrincipal user, CancellationToken ct)
    {
        Refusal = e.Message;
        Approval = await sender.Send(new GetSearchApprovalQuery((Guid)e.Extensions[ApprovalProblem.RequestId]!, user.Actor(), Commander: false), ct);
    }

    /// <summary>This page's address with the approval's id: the same look-up again, under the approval.</summary>
    public static string RerunUrl(HttpRequest request, Guid approval)
    {
        var query = QueryHelpers.ParseQuery(request.QueryString.Value).Where(q => !q.Key.Equals("approvalId", StringComparison.OrdinalIgnoreCase))
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)));
        return QueryHelpers.AddQueryString(request.Path, query.Append(new("approvalId", approval.ToString())));
    }
}
