using SafeCities.Modules.Shared.Purposes;

namespace SafeCities.Modules.Platform.Contracts;

/// <summary>
/// The commanders' queue of look-ups waiting for approval (issue 14, ADR 0047), or the requests of one person (<paramref name="RequestedBy"/>), newest
/// first. <paramref name="Status"/> null: every status.
/// </summary>
public sealed record ListSearchApprovalsQuery(string? Status = SearchApprovalStatuses.Pending, string? RequestedBy = null, int Limit = 100)
    : IQuery<IReadOnlyList<SearchApprovalDto>>;

/// <summary>One request: its requester sees it, and so does a commander (<paramref name="Commander"/>); anyone else gets null.</summary>
public sealed record GetSearchApprovalQuery(Guid Id, string Viewer, bool Commander) : IQuery<SearchApprovalDto?>;

/// <summary>
/// A commander approves or denies a waiting request, with a reason (required); never their own. An approval may be used once by its requester for
/// that exact look-up within <c>Purposes:ApprovalValidMinutes</c>. Audited (<c>approval-decision</c>).
/// </summary>
public sealed record DecideSearchApprovalCommand(Guid Id, string Commander, bool? Approve, string? Reason) : ICommand<SearchApprovalDto>;

/// <summary>A look-up was queued for approval: commanders are told live (not durable: the queue page always shows what waits).</summary>
public sealed record SearchApprovalRequestedEvent(Guid Id, string RequestedBy, string LookupKind, IReadOnlyList<string> Reasons, DateTimeOffset At) : INotification;

/// <summary>
/// A commander approved or denied a request: its requester is told live, on the page where the look-up waits (ADR 0047, ADR 0055). Not durable,
/// like the queue's notice: the page's "Check again" and <c>/api/v1/search-approvals/{id}</c> always say the status.
/// </summary>
/// <param name="Status"><see cref="SearchApprovalStatuses.Approved"/> or <see cref="SearchApprovalStatuses.Denied"/>.</param>
/// <param name="ExpiresAt">Until when an approval may be used (once); null for a denial.</param>
public sealed record SearchApprovalDecidedEvent(Guid Id, string RequestedBy, string LookupKind, string Status, string DecidedBy, string Reason,
    DateTimeOffset DecidedAt, DateTimeOffset? ExpiresAt) : INotification;
