using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Platform.Data;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Purposes;
using SafeCities.Modules.Shared.Time;

namespace SafeCities.Modules.Platform.Approvals;

/// <summary>A look-up waiting for, or given, a commander's approval (<c>platform.search_approvals</c>). Decided once; used once.</summary>
internal sealed class SearchApproval
{
    public Guid Id { get; init; }
    public required string RequestedBy { get; init; }
    public DateTimeOffset RequestedAt { get; init; }
    public required string LookupKind { get; init; }
    /// <summary>What the approval covers: the look-up's kind, terms and statement (<see cref="PurposePolicy.Fingerprint"/>).</summary>
    public required string Fingerprint { get; init; }
    /// <summary>The look-up's terms (JSON), as the commander reads them.</summary>
    public required string Terms { get; init; }
    public string? CaseNumber { get; init; }
    public string? Offence { get; init; }
    public string? Purpose { get; init; }
    public List<string> Reasons { get; init; } = [];
    public string Status { get; set; } = SearchApprovalStatuses.Pending;
    public string? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DecisionReason { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }

    public SearchApprovalDto ToDto(DateTimeOffset now) => new(Id,
        Status == SearchApprovalStatuses.Approved && ExpiresAt <= now ? SearchApprovalStatuses.Expired : Status, RequestedBy, RequestedAt, LookupKind, Terms,
        CaseNumber, Offence, Purpose, Reasons, DecidedBy, DecidedAt, DecisionReason, ExpiresAt, UsedAt);
}

internal static class SearchApprovalAudit
{
    public const string Module = "Platform";
}

/// <summary>Queues a look-up (or returns the same person's request for the same look-up that still waits or is approved and unused).</summary>
internal sealed class RequestSearchApprovalCommandHandler(PlatformDbContext db, TimeProvider clock, IPublisher publisher)
    : ICommandHandler<RequestSearchApprovalCommand, SearchApprovalDto>
{
    public async ValueTask<SearchApprovalDto> Handle(RequestSearchApprovalCommand c, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var open = await db.SearchApprovals.AsNoTracking()
            .Where(a => a.RequestedBy == c.Actor && a.Fingerprint == c.Fingerprint
                        && (a.Status == SearchApprovalStatuses.Pending || (a.Status == SearchApprovalStatuses.Approved && a.ExpiresAt > now)))
            .OrderByDescending(a => a.RequestedAt).FirstOrDefaultAsync(ct);
        if (open is not null)
            return open.ToDto(now);
        var request = new SearchApproval
        {
            Id = Guid.CreateVersion7(), RequestedBy = c.Actor, RequestedAt = now, LookupKind = c.LookupKind, Fingerprint = c.Fingerprint, Terms = c.Terms,
            CaseNumber = c.CaseNumber, Offence = c.Offence, Purpose = c.Purpose, Reasons = [.. c.Reasons],
        };
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            db.SearchApprovals.Add(request);
            await db.SaveChangesAsync(ct);
            await db.AuditAsync(c.Actor, SearchApprovalAudit.Module, "approval-request", c.Purpose, new
            {
                approvalId = request.Id, lookup = c.LookupKind, caseNumber = c.CaseNumber, offence = c.Offence, reasons = c.Reasons, terms = c.Terms,
            }, now, ct);
            await tx.CommitAsync(ct);
        }
        await publisher.Publish(new SearchApprovalRequestedEvent(request.Id, c.Actor, c.LookupKind, c.Reasons, now), ct);
        return request.ToDto(now);
    }
}

/// <summary>Uses an approval once, for its requester and the exact look-up it was given for, in time; anything else is refused (403) and audited.</summary>
internal sealed class UseSearchApprovalCommandHandler(PlatformDbContext db, TimeProvider clock, CityClock city) : ICommandHandler<UseSearchApprovalCommand, SearchApprovalDto>
{
    public async ValueTask<SearchApprovalDto> Handle(UseSearchApprovalCommand c, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // One statement decides: two look-ups racing with one approval cannot both use it.
        var used = await db.SearchApprovals
            .Where(a => a.Id == c.ApprovalId && a.RequestedBy == c.Actor && a.Fingerprint == c.Fingerprint && a.Status == SearchApprovalStatuses.Approved
                        && a.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, SearchApprovalStatuses.Used).SetProperty(a => a.UsedAt, now), ct);
        var approval = await db.SearchApprovals.AsNoTracking().SingleOrDefaultAsync(a => a.Id == c.ApprovalId, ct);
        var refusal = used == 1 ? null : Refusal(approval, c, now);
        await db.AuditAsync(c.Actor, SearchApprovalAudit.Module, refusal is null ? "approval-use" : "approval-use-refused", null, new
        {
            approvalId = c.ApprovalId, lookup = c.LookupKind, refusal, caseNumber = approval?.CaseNumber, offence = approval?.Offence,
        }, now, ct);
        await tx.CommitAsync(ct);
        if (refusal is not null)
            throw new DomainRuleException(refusal, 403, new Dictionary<string, object?>
            {
                [ApprovalProblem.RequestId] = c.ApprovalId, [ApprovalProblem.Status] = approval?.ToDto(now).Status,
            });
        return approval!.ToDto(now);
    }

    /// <summary>Why the approval cannot be used, for the person who tried (times in the city's zone, labelled: <see cref="CityClock"/>).</summary>
    private string Refusal(SearchApproval? a, UseSearchApprovalCommand c, DateTimeOffset now) => a switch
    {
        null => $"There is no approval request {c.ApprovalId}.",
        _ when a.RequestedBy != c.Actor => $"Approval {a.Id} was given to someone else: ask for your own.",
        { Status: SearchApprovalStatuses.Pending } => $"Approval request {a.Id} still waits for a commander.",
        { Status: SearchApprovalStatuses.Denied } => $"Approval request {a.Id} was denied by {a.DecidedBy}: {a.DecisionReason}",
        { Status: SearchApprovalStatuses.Used } => $"Approval {a.Id} was used already ({city.Format(a.UsedAt!.Value, CityTimeFormat.DateTime)}): it is valid once.",
        _ when a.Fingerprint != c.Fingerprint || a.LookupKind != c.LookupKind =>
            $"Approval {a.Id} covers a different look-up: send exactly the look-up that was approved (same terms, case number, offence and purpose).",
        _ when a.ExpiresAt <= now => $"Approval {a.Id} expired at {city.Format(a.ExpiresAt!.Value, CityTimeFormat.DateTime)}: ask again.",
        _ => $"Approval {a.Id} cannot be used.",
    };
}

/// <summary>Gives the requester's used approval back after its look-up failed without answering; audited with the failure's kind.</summary>
internal sealed class ReturnSearchApprovalCommandHandler(PlatformDbContext db, TimeProvider clock) : ICommandHandler<ReturnSearchApprovalCommand, bool>
{
    public async ValueTask<bool> Handle(ReturnSearchApprovalCommand c, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var returned = await db.SearchApprovals
            .Where(a => a.Id == c.ApprovalId && a.RequestedBy == c.Actor && a.Status == SearchApprovalStatuses.Used)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, SearchApprovalStatuses.Approved).SetProperty(a => a.UsedAt, (DateTimeOffset?)null), ct);
        if (returned == 1)
            await db.AuditAsync(c.Actor, SearchApprovalAudit.Module, "approval-returned", null, new { approvalId = c.ApprovalId, failure = c.Failure }, now, ct);
        await tx.CommitAsync(ct);
        return returned == 1;
    }
}

internal sealed class DecideSearchApprovalCommandValidator : AbstractValidator<DecideSearchApprovalCommand>
{
    public DecideSearchApprovalCommandValidator()
    {
        RuleFor(c => c.Id).NotEmpty();
        RuleFor(c => c.Approve).NotNull().WithMessage("'approve' is required: true to approve, false to deny.");
        RuleFor(c => c.Reason).Cascade(CascadeMode.Stop).NotEmpty().WithMessage("Give a reason for the decision; the requester and the audit log see it.")
            .MaximumLength(500);
    }
}

internal sealed class DecideSearchApprovalCommandHandler(PlatformDbContext db, TimeProvider clock, IOptions<PurposeOptions> options, IPublisher publisher)
    : ICommandHandler<DecideSearchApprovalCommand, SearchApprovalDto>
{
    public async ValueTask<SearchApprovalDto> Handle(DecideSearchApprovalCommand c, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var approval = await db.SearchApprovals.AsNoTracking().SingleOrDefaultAsync(a => a.Id == c.Id, ct)
                       ?? throw new DomainRuleException($"There is no approval request {c.Id}.", 404);
        if (string.Equals(approval.RequestedBy, c.Commander, StringComparison.OrdinalIgnoreCase))
            throw new DomainRuleException("You cannot decide your own request: another commander must.", 403);
        if (approval.Status != SearchApprovalStatuses.Pending)
            throw new DomainRuleException($"This request was {approval.ToDto(now).Status} already by {approval.DecidedBy}.", 409);
        approval.Status = c.Approve == true ? SearchApprovalStatuses.Approved : SearchApprovalStatuses.Denied;
        approval.DecidedBy = c.Commander;
        approval.DecidedAt = now;
        approval.DecisionReason = c.Reason!.Trim();
        approval.ExpiresAt = c.Approve == true ? now.AddMinutes(options.Value.ApprovalValidMinutes) : null;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Only a pending request is decided, once, even if two commanders decide at the same moment.
        var decided = await db.SearchApprovals.Where(a => a.Id == c.Id && a.Status == SearchApprovalStatuses.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, approval.Status).SetProperty(a => a.DecidedBy, approval.DecidedBy)
                .SetProperty(a => a.DecidedAt, approval.DecidedAt).SetProperty(a => a.DecisionReason, approval.DecisionReason)
                .SetProperty(a => a.ExpiresAt, approval.ExpiresAt), ct);
        if (decided == 0)
            throw new DomainRuleException("This request was decided already by another commander.", 409);
        await db.AuditAsync(c.Commander, SearchApprovalAudit.Module, "approval-decision", approval.Purpose, new
        {
            approvalId = approval.Id, decision = approval.Status, reason = approval.DecisionReason, requestedBy = approval.RequestedBy,
            lookup = approval.LookupKind, caseNumber = approval.CaseNumber, offence = approval.Offence, expiresAt = approval.ExpiresAt,
        }, now, ct);
        await tx.CommitAsync(ct);
        await publisher.Publish(new SearchApprovalDecidedEvent(approval.Id, approval.RequestedBy, approval.LookupKind, approval.Status, c.Commander,
            approval.DecisionReason, now, approval.ExpiresAt), ct);
        return approval.ToDto(now);
    }
}

internal sealed class ListSearchApprovalsQueryValidator : AbstractValidator<ListSearchApprovalsQuery>
{
    private static readonly string[] Statuses =
        [SearchApprovalStatuses.Pending, SearchApprovalStatuses.Approved, SearchApprovalStatuses.Denied, SearchApprovalStatuses.Used];

    public ListSearchApprovalsQueryValidator()
    {
        RuleFor(q => q.Status).Must(s => s is null || Statuses.Contains(s)).WithMessage($"'status' must be one of: {string.Join(", ", Statuses)}.");
        RuleFor(q => q.Limit).InclusiveBetween(1, 500);
    }
}

internal sealed class ListSearchApprovalsQueryHandler(PlatformDbContext db, TimeProvider clock)
    : IQueryHandler<ListSearchApprovalsQuery, IReadOnlyList<SearchApprovalDto>>
{
    public async ValueTask<IReadOnlyList<SearchApprovalDto>> Handle(ListSearchApprovalsQuery q, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var rows = db.SearchApprovals.AsNoTracking();
        if (q.Status is not null)
            rows = rows.Where(a => a.Status == q.Status);
        if (q.RequestedBy is not null)
            rows = rows.Where(a => a.RequestedBy == q.RequestedBy);
        var list = await rows.OrderByDescending(a => a.RequestedAt).Take(q.Limit).ToListAsync(ct);
        return list.Select(a => a.ToDto(now)).ToList();
    }
}

internal sealed class GetSearchApprovalQueryHandler(PlatformDbContext db, TimeProvider clock) : IQueryHandler<GetSearchApprovalQuery, SearchApprovalDto?>
{
    public async ValueTask<SearchApprovalDto?> Handle(GetSearchApprovalQuery q, CancellationToken ct)
    {
        var a = await db.SearchApprovals.AsNoTracking().SingleOrDefaultAsync(a => a.Id == q.Id, ct);
        return a is not null && (q.Commander || a.RequestedBy == q.Viewer) ? a.ToDto(clock.GetUtcNow()) : null;
    }
}
