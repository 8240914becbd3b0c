using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;
using SafeCities.Modules.Alerts.Domain;
using SafeCities.Modules.Alerts.Features;
using SafeCities.Modules.Alerts.Subscribers;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Input;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Modules.Alerts.PublicAlerts;

internal sealed class DraftPublicAlertCommandValidator : AbstractValidator<DraftPublicAlertCommand>
{
    public DraftPublicAlertCommandValidator(TimeProvider clock, IOptions<PublicAlertsOptions> options)
    {
        RuleFor(c => c.By).NotEmpty().MaximumLength(256);
        RuleFor(c => c.Content).NotNull().WithMessage("Write the alert.");
        When(c => c.Content is not null, () =>
        {
            var ipaws = options.Value.IpawsProfile;
            Text(RuleFor(c => c.Content.Event), "event", PublicAlertLimits.Event, required: true, TextKind.Line);
            Text(RuleFor(c => c.Content.AreaDescription), "area description", PublicAlertLimits.AreaDescription, required: true, TextKind.Line);
            Text(RuleFor(c => c.Content.HeadlineEn), "English headline", PublicAlertLimits.Headline, required: true, TextKind.Line);
            Text(RuleFor(c => c.Content.DescriptionEn), "English description", PublicAlertLimits.Description, required: false, TextKind.Text);
            Text(RuleFor(c => c.Content.InstructionEn), "English instruction", PublicAlertLimits.Instruction, required: false, TextKind.Text);
            Text(RuleFor(c => c.Content.HeadlineEs), "Spanish headline", PublicAlertLimits.Headline, required: false, TextKind.Line);
            Text(RuleFor(c => c.Content.DescriptionEs), "Spanish description", PublicAlertLimits.Description, required: false, TextKind.Text);
            Text(RuleFor(c => c.Content.InstructionEs), "Spanish instruction", PublicAlertLimits.Instruction, required: false, TextKind.Text);
            RuleFor(c => c.Content.HeadlineEs).Must(h => !string.IsNullOrWhiteSpace(h))
                .When(c => !string.IsNullOrWhiteSpace(c.Content.DescriptionEs) || !string.IsNullOrWhiteSpace(c.Content.InstructionEs))
                .WithMessage("Give the Spanish headline too (the Spanish texts are published only with one).");
            OneOf(RuleFor(c => c.Content.Category), "category", CapVocabulary.Categories);
            OneOf(RuleFor(c => c.Content.Severity), "severity", CapVocabulary.Severities);
            OneOf(RuleFor(c => c.Content.Urgency), "urgency", CapVocabulary.Urgencies);
            OneOf(RuleFor(c => c.Content.Certainty), "certainty", CapVocabulary.Certainties);
            OneOf(RuleFor(c => c.Content.ResponseType), "response type", CapVocabulary.ResponseTypes);

            // The area: a circle (centre and radius) or a polygon, never both, never neither.
            RuleFor(c => c.Content).Must(c => IsCircle(c) != (c.Polygon is { Count: > 0 }))
                .WithName("area").OverridePropertyName("area")
                .WithMessage("Give the area as a circle (centre and radius) or as a polygon, not both.");
            When(c => IsCircle(c.Content), () =>
            {
                RuleFor(c => c.Content.CircleLatitude).InclusiveBetween(-90, 90);
                RuleFor(c => c.Content.CircleLongitude).InclusiveBetween(-180, 180);
                RuleFor(c => c.Content.CircleRadiusMeters).InclusiveBetween(PublicAlertLimits.MinRadiusMeters, PublicAlertLimits.MaxRadiusMeters)
                    .WithMessage($"The radius must lie between {PublicAlertLimits.MinRadiusMeters:0} m and {PublicAlertLimits.MaxRadiusMeters / 1000:0} km.");
            });
            RuleFor(c => c.Content.CircleRadiusMeters).Null()
                .When(c => !IsCircle(c.Content) && (c.Content.CircleLatitude is not null || c.Content.CircleLongitude is not null || c.Content.CircleRadiusMeters is not null))
                .WithMessage("A circle needs its centre (latitude, longitude) and its radius.");
            RuleFor(c => c.Content.Polygon).Must((c, p) => (CapArea.PolygonRefusal(p!, ipaws ? PublicAlertLimits.IpawsMaxPolygonPoints : PublicAlertLimits.MaxPolygonPoints)) is null)
                .When(c => c.Content.Polygon is { Count: > 0 })
                .WithMessage((c, p) => CapArea.PolygonRefusal(p!, ipaws ? PublicAlertLimits.IpawsMaxPolygonPoints : PublicAlertLimits.MaxPolygonPoints)!);

            // Times: not in the past (beyond a day for onset), not absurdly far ahead, expiry after onset; IPAWS needs an expiry.
            RuleFor(c => c.Content.Expires).NotNull().When(_ => ipaws).WithMessage("IPAWS requires an expiry time.");
            RuleFor(c => c.Content.Expires).Must(e => e > clock.GetUtcNow()).When(c => c.Content.Expires is not null)
                .WithMessage("The expiry must lie in the future.");
            RuleFor(c => c.Content.Expires).Must(e => e <= clock.GetUtcNow().AddDays(PublicAlertLimits.MaxDaysAhead)).When(c => c.Content.Expires is not null)
                .WithMessage($"The expiry may lie at most {PublicAlertLimits.MaxDaysAhead} days ahead.");
            RuleFor(c => c.Content.Onset).Must(o => o >= clock.GetUtcNow().AddDays(-1) && o <= clock.GetUtcNow().AddDays(PublicAlertLimits.MaxDaysAhead))
                .When(c => c.Content.Onset is not null)
                .WithMessage($"The onset must lie between a day ago and {PublicAlertLimits.MaxDaysAhead} days ahead.");
            RuleFor(c => c.Content.Expires).Must((c, e) => e > c.Content.Onset).When(c => c.Content.Onset is not null && c.Content.Expires is not null)
                .WithMessage("The expiry must come after the onset.");
        });
    }

    internal static bool IsCircle(PublicAlertContent c) => c.CircleLatitude is not null && c.CircleLongitude is not null && c.CircleRadiusMeters is not null;

    private static void Text(IRuleBuilderInitial<DraftPublicAlertCommand, string?> rule, string name, int max, bool required, TextKind kind)
    {
        rule.Must(t => !required || !string.IsNullOrWhiteSpace(t)).WithMessage($"Write the {name}.")
            .MaximumLength(max).WithMessage($"The {name} may have at most {max} characters.")
            .Must(t => t is null || InputRules.TextRefusal(t, kind) is null).WithMessage((_, t) => $"The {name} {InputRules.TextRefusal(t, kind)}");
    }

    private static void OneOf(IRuleBuilderInitial<DraftPublicAlertCommand, string?> rule, string name, IReadOnlyList<string> values) =>
        rule.Must(v => v is not null && values.Contains(v)).WithMessage($"Choose the {name}: one of {string.Join(", ", values)}.");
}

/// <summary>
/// A commander drafts a message: a new alert, or an Update of the thread's newest issued message. Nothing is public until a second person
/// approves it; the draft and its author are audited in the same transaction.
/// </summary>
internal sealed class DraftPublicAlertCommandHandler(AlertsDbContext db, TimeProvider clock) : ICommandHandler<DraftPublicAlertCommand, PublicAlertDto>
{
    public async ValueTask<PublicAlertDto> Handle(DraftPublicAlertCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var c = command.Content;
        var id = Guid.CreateVersion7();
        Guid threadId = id;
        var incidentId = command.IncidentId;
        if (command.UpdatesId is { } updatesId)
        {
            var replaced = await db.PublicAlertMessages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == updatesId, cancellationToken)
                ?? throw new DomainRuleException("No such public alert.", 404);
            PublicAlertRules.EnsureHead(replaced);
            threadId = replaced.ThreadId;
            incidentId = replaced.IncidentId;
        }
        else if (incidentId is { } incident && !await db.Incidents.AnyAsync(i => i.Id == incident, cancellationToken))
            throw new DomainRuleException("No such incident.", 404);

        var circle = DraftPublicAlertCommandValidator.IsCircle(c);
        var points = circle ? CapArea.CirclePolygon(c.CircleLatitude!.Value, c.CircleLongitude!.Value, c.CircleRadiusMeters!.Value) : CapArea.Closed(c.Polygon!);
        var message = new PublicAlertMessage
        {
            Id = id, ThreadId = threadId, MsgType = command.UpdatesId is null ? CapMessageTypes.Alert : CapMessageTypes.Update, IncidentId = incidentId,
            ReplacesId = command.UpdatesId, Event = c.Event!.Trim(), Category = c.Category!, Severity = c.Severity!, Urgency = c.Urgency!,
            Certainty = c.Certainty!, ResponseType = c.ResponseType!, Onset = c.Onset?.ToUniversalTime(), Expires = c.Expires?.ToUniversalTime(), AreaDescription = c.AreaDescription!.Trim(),
            CircleLatitude = circle ? c.CircleLatitude : null, CircleLongitude = circle ? c.CircleLongitude : null,
            CircleRadiusMeters = circle ? c.CircleRadiusMeters : null, Polygon = circle ? null : CapArea.FormatPolygon(c.Polygon!),
            Area = CapArea.Geometry(points), HeadlineEn = c.HeadlineEn!.Trim(), DescriptionEn = Clean(c.DescriptionEn), InstructionEn = Clean(c.InstructionEn),
            HeadlineEs = Clean(c.HeadlineEs), DescriptionEs = Clean(c.HeadlineEs) is null ? null : Clean(c.DescriptionEs),
            InstructionEs = Clean(c.HeadlineEs) is null ? null : Clean(c.InstructionEs), CreatedBy = command.By, CreatedAt = now,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.PublicAlertMessages.Add(message);
        await db.SaveChangesAsync(cancellationToken);
        await db.AuditAsync(command.By, "Alerts", "public-alert-draft", null,
            new { id, threadId, msgType = message.MsgType, incidentId, headline = message.HeadlineEn }, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return message.ToDto(now);
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

/// <summary>
/// The second person approves: the draft is issued as CAP 1.2 at once (identifier, sent, the frozen XML and its ETag), the message it
/// updates is superseded, the approval is audited with author and approver, and the incident's timeline says so.
/// </summary>
internal sealed class ApprovePublicAlertCommandHandler(AlertsDbContext db, TimeProvider clock, IOptions<PublicAlertsOptions> options,
    IncidentBroadcaster broadcaster, SubscriberDeliverySignal deliveries) : ICommandHandler<ApprovePublicAlertCommand, PublicAlertDto>
{
    public async ValueTask<PublicAlertDto> Handle(ApprovePublicAlertCommand command, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var draft = await PublicAlertRules.LockAsync(db, command.Id, cancellationToken) ?? throw new DomainRuleException("No such public alert.", 404);
        if (draft.State != PublicAlertStates.Draft)
            throw new DomainRuleException($"This message is {draft.State}, not a draft waiting for approval.");
        if (o.TwoPersonRule && string.Equals(draft.CreatedBy, command.By, StringComparison.OrdinalIgnoreCase))
        {
            await db.AuditAsync(command.By, "Alerts", "public-alert-approval-refused", null, new { id = draft.Id, reason = "author" }, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            throw new DomainRuleException("You drafted this alert: a second authorised person must approve it (two-person rule).", 403);
        }
        if (draft.Expires is { } expires && expires <= now)
            throw new DomainRuleException("The alert's expiry has passed while it waited for approval: draft it again.");
        if (o.IpawsProfile && draft.Expires is null)
            throw new DomainRuleException("IPAWS requires an expiry time: draft it again with one.");
        if (draft.ReplacesId is { } replacesId)
        {
            var replaced = await PublicAlertRules.LockAsync(db, replacesId, cancellationToken) ?? throw new DomainRuleException("No such public alert.", 404);
            PublicAlertRules.EnsureHead(replaced);
            replaced.SupersededAt = now;
        }
        var earlier = await PublicAlertRules.IssuedOfThreadAsync(db, draft.ThreadId, cancellationToken);
        PublicAlertRules.Issue(draft, command.By, now, earlier, o);
        var entry = PublicAlertRules.TimelineEntry(draft, $"Public alert {(draft.MsgType == CapMessageTypes.Update ? "update " : "")}issued: {draft.HeadlineEn} (drafted by {draft.CreatedBy}, approved by {command.By})");
        if (entry is not null)
            db.Timeline.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        await SubscriberFanOut.EnqueueAsync(db, draft.Id, now, cancellationToken);
        await db.AuditAsync(command.By, "Alerts", "public-alert-approve", null,
            new { id = draft.Id, identifier = draft.Identifier, msgType = draft.MsgType, author = draft.CreatedBy, approver = command.By, twoPersonRule = o.TwoPersonRule },
            now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        deliveries.Wake();
        if (entry is not null)
            await broadcaster.TimelineAppendedAsync(entry.ToDto());
        return draft.ToDto(now);
    }
}

internal sealed class DiscardPublicAlertCommandHandler(AlertsDbContext db, TimeProvider clock) : ICommandHandler<DiscardPublicAlertCommand, PublicAlertDto>
{
    public async ValueTask<PublicAlertDto> Handle(DiscardPublicAlertCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var draft = await PublicAlertRules.LockAsync(db, command.Id, cancellationToken) ?? throw new DomainRuleException("No such public alert.", 404);
        if (draft.State != PublicAlertStates.Draft)
            throw new DomainRuleException($"This message is {draft.State}, not a draft.");
        draft.State = PublicAlertStates.Discarded;
        draft.DiscardedBy = command.By;
        draft.DiscardedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        await db.AuditAsync(command.By, "Alerts", "public-alert-discard", null, new { id = draft.Id, author = draft.CreatedBy }, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return draft.ToDto(now);
    }
}

internal sealed class CancelPublicAlertCommandValidator : AbstractValidator<CancelPublicAlertCommand>
{
    public CancelPublicAlertCommandValidator()
    {
        RuleFor(c => c.By).NotEmpty().MaximumLength(256);
        RuleFor(c => c.Reason).MaximumLength(PublicAlertLimits.Note)
            .Must(t => t is null || InputRules.TextRefusal(t, TextKind.Line) is null).WithMessage((_, t) => $"The reason {InputRules.TextRefusal(t, TextKind.Line)}");
    }
}

/// <summary>Withdraws the thread's newest issued message with a CAP Cancel issued at once by one authorised person (ADR 0030).</summary>
internal sealed class CancelPublicAlertCommandHandler(AlertsDbContext db, TimeProvider clock, IOptions<PublicAlertsOptions> options,
    IncidentBroadcaster broadcaster, SubscriberDeliverySignal deliveries) : ICommandHandler<CancelPublicAlertCommand, PublicAlertDto>
{
    public async ValueTask<PublicAlertDto> Handle(CancelPublicAlertCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var head = await PublicAlertRules.LockAsync(db, command.Id, cancellationToken) ?? throw new DomainRuleException("No such public alert.", 404);
        PublicAlertRules.EnsureHead(head);
        head.SupersededAt = now;
        var reason = string.IsNullOrWhiteSpace(command.Reason) ? null : command.Reason.Trim();
        var cancel = new PublicAlertMessage
        {
            Id = Guid.CreateVersion7(), ThreadId = head.ThreadId, MsgType = CapMessageTypes.Cancel, IncidentId = head.IncidentId, ReplacesId = head.Id,
            Event = head.Event, Category = head.Category, Severity = head.Severity, Urgency = "Past", Certainty = head.Certainty, ResponseType = "AllClear",
            Expires = now.AddHours(1), AreaDescription = head.AreaDescription, CircleLatitude = head.CircleLatitude, CircleLongitude = head.CircleLongitude,
            CircleRadiusMeters = head.CircleRadiusMeters, Polygon = head.Polygon, Area = head.Area,
            HeadlineEn = Cut("Cancelled: " + head.HeadlineEn), DescriptionEn = reason is null ? "This alert has been cancelled." : $"This alert has been cancelled: {reason}",
            HeadlineEs = head.HeadlineEs is null ? null : Cut("Cancelada: " + head.HeadlineEs),
            DescriptionEs = head.HeadlineEs is null ? null : "Esta alerta ha sido cancelada.", Note = reason, CreatedBy = command.By, CreatedAt = now,
        };
        db.PublicAlertMessages.Add(cancel);
        var earlier = await PublicAlertRules.IssuedOfThreadAsync(db, head.ThreadId, cancellationToken);
        PublicAlertRules.Issue(cancel, command.By, now, earlier, options.Value);
        var entry = PublicAlertRules.TimelineEntry(cancel, $"Public alert cancelled by {command.By}: {head.HeadlineEn}");
        if (entry is not null)
            db.Timeline.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        await SubscriberFanOut.EnqueueAsync(db, cancel.Id, now, cancellationToken);
        await db.AuditAsync(command.By, "Alerts", "public-alert-cancel", null,
            new { id = cancel.Id, identifier = cancel.Identifier, cancelled = head.Identifier, reason }, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        deliveries.Wake();
        if (entry is not null)
            await broadcaster.TimelineAppendedAsync(entry.ToDto());
        return cancel.ToDto(now);
    }

    private static string Cut(string text) => text.Length <= PublicAlertLimits.Headline ? text : text[..(PublicAlertLimits.Headline - 1)] + "…";
}

internal static class PublicAlertRules
{
    /// <summary>The message, locked for this transaction (approvals and cancels of one thread happen one after another).</summary>
    public static Task<PublicAlertMessage?> LockAsync(AlertsDbContext db, Guid id, CancellationToken ct) =>
        db.PublicAlertMessages.FromSql($"SELECT * FROM alerts.public_alert_messages WHERE id = {id} FOR UPDATE").FirstOrDefaultAsync(ct);

    /// <summary>Only the thread's newest issued message can be updated or cancelled.</summary>
    public static void EnsureHead(PublicAlertMessage m)
    {
        if (m.State != PublicAlertStates.Issued)
            throw new DomainRuleException("Only an issued alert can be updated or cancelled.");
        if (m.MsgType == CapMessageTypes.Cancel)
            throw new DomainRuleException("This alert is cancelled.");
        if (m.SupersededAt is not null)
            throw new DomainRuleException("A later message of this alert has been issued since: update or cancel that one.");
    }

    public static async Task<IReadOnlyList<PublicAlertMessage>> IssuedOfThreadAsync(AlertsDbContext db, Guid threadId, CancellationToken ct) =>
        await db.PublicAlertMessages.AsNoTracking().Where(m => m.ThreadId == threadId && m.State == PublicAlertStates.Issued)
            .OrderBy(m => m.Sent).ThenBy(m => m.Id).ToListAsync(ct);

    /// <summary>Gives the message its CAP identity and freezes its XML.</summary>
    public static void Issue(PublicAlertMessage m, string approver, DateTimeOffset now, IReadOnlyList<PublicAlertMessage> earlier, PublicAlertsOptions options)
    {
        m.State = PublicAlertStates.Issued;
        m.ApprovedBy = approver;
        m.ApprovedAt = now;
        m.Identifier = "safecities-" + m.Id.ToString("N");
        m.Sent = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        m.Xml = CapMessage.Build(m, earlier, options);
        m.ETag = CapMessage.ETagOf(m.Xml);
    }

    public static TimelineEntry? TimelineEntry(PublicAlertMessage m, string text) => m.IncidentId is { } incident
        ? new TimelineEntry { Id = Guid.CreateVersion7(), IncidentId = incident, At = m.ApprovedAt!.Value, Module = "Alerts", Kind = "PublicAlert", Text = text }
        : null;
}
