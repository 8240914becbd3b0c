namespace SafeCities.Modules.Shared.Purposes;

/// <summary>
/// Queues a look-up for a commander's approval (issue 14). The gate (<see cref="PurposeGateBehavior{TMessage,TResponse}"/>) sends it; Platform keeps
/// the queue (these two messages are the gate's port, in Shared because Shared may reference no module). The same person asking the same look-up
/// again while it waits, or while its approval is unused, gets that request back instead of a second one. Audited (<c>approval-request</c>).
/// </summary>
/// <param name="Terms">The look-up's terms (JSON), as the commander reads them.</param>
/// <param name="Fingerprint">What the approval covers: <see cref="PurposePolicy.Fingerprint"/>.</param>
public sealed record RequestSearchApprovalCommand(string Actor, string LookupKind, string Fingerprint, string Terms, string? CaseNumber, string? Offence,
    string? Purpose, IReadOnlyList<string> Reasons) : ICommand<SearchApprovalDto>;

/// <summary>
/// Uses an approval for the look-up about to run: refused (403) unless it was approved, for this person and this exact look-up, and is neither
/// used nor expired; then it is used (once). Audited (<c>approval-use</c>, or <c>approval-use-refused</c>).
/// </summary>
public sealed record UseSearchApprovalCommand(Guid ApprovalId, string Actor, string LookupKind, string Fingerprint) : ICommand<SearchApprovalDto>;

/// <summary>
/// Gives back an approval whose look-up failed without answering (a timeout, a lost connection, a fault — not a refusal, which is an
/// answer): the approval was used by <see cref="UseSearchApprovalCommand"/> just before, and nothing was disclosed, so it may be used again
/// until it expires. Only the requester's own used approval is given back. Audited (<c>approval-returned</c>, with <paramref name="Failure"/>).
/// </summary>
public sealed record ReturnSearchApprovalCommand(Guid ApprovalId, string Actor, string Failure) : ICommand<bool>;

/// <param name="Status"><see cref="SearchApprovalStatuses"/>: pending, approved, denied, used, expired.</param>
/// <param name="ExpiresAt">Until when an approved request may be used (once).</param>
public sealed record SearchApprovalDto(Guid Id, string Status, string RequestedBy, DateTimeOffset RequestedAt, string LookupKind, string Terms,
    string? CaseNumber, string? Offence, string? Purpose, IReadOnlyList<string> Reasons, string? DecidedBy, DateTimeOffset? DecidedAt,
    string? DecisionReason, DateTimeOffset? ExpiresAt, DateTimeOffset? UsedAt);

public static class SearchApprovalStatuses
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Denied = "denied";
    public const string Used = "used";
    public const string Expired = "expired";
}

/// <summary>The ProblemDetails extensions of a look-up that waits for approval (HTTP 403): the request's id and status, and why.</summary>
public static class ApprovalProblem
{
    public const string RequestId = "approvalRequestId";
    public const string Status = "approvalStatus";
    public const string Reasons = "approvalReasons";
}
