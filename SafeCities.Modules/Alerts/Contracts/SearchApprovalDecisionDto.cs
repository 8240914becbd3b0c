namespace SafeCities.Modules.Alerts.Contracts;

/// <summary>
/// What the requester's waiting page needs to change by itself when a commander decides (site.js): approved (run it now, once, until
/// <paramref name="ExpiresAt"/>) or denied, by whom, when and why. Pushed to the requester only (<c>IIncidentsClient.SearchApprovalDecided</c>).
/// </summary>
public sealed record SearchApprovalDecisionDto(Guid ApprovalId, string Status, string DecidedBy, DateTimeOffset DecidedAt, string Reason,
    DateTimeOffset? ExpiresAt);
