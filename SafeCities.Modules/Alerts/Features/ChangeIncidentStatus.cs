using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;
using SafeCities.Modules.Alerts.Domain;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Input;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Outbox;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Alerts.Features;

internal sealed class AcknowledgeIncidentCommandValidator : AbstractValidator<AcknowledgeIncidentCommand>
{
    public AcknowledgeIncidentCommandValidator()
    {
        RuleFor(c => c.IncidentId).NotEmpty();
        RuleFor(c => c.By).NotEmpty().MaximumLength(256);
    }
}

internal sealed class CloseIncidentCommandValidator : AbstractValidator<CloseIncidentCommand>
{
    public CloseIncidentCommandValidator()
    {
        RuleFor(c => c.IncidentId).NotEmpty();
        RuleFor(c => c.By).NotEmpty().MaximumLength(256);
        // A missing outcome is refused by the incident itself, naming its kind's outcomes.
        RuleFor(c => c.Outcome).Must(o => IncidentOutcomes.AllCodes.Contains(o!)).When(c => !string.IsNullOrEmpty(c.Outcome), ApplyConditionTo.CurrentValidator)
            .WithMessage($"'Outcome' must be one of: {string.Join(", ", IncidentOutcomes.AllCodes)}.");
        RuleFor(c => c.Notes).IncidentText();
    }
}

internal sealed class ReopenIncidentCommandValidator : AbstractValidator<ReopenIncidentCommand>
{
    public ReopenIncidentCommandValidator()
    {
        RuleFor(c => c.IncidentId).NotEmpty();
        RuleFor(c => c.By).NotEmpty().MaximumLength(256);
        RuleFor(c => c.Notes).IncidentText();
    }
}

internal static class IncidentTextRules
{
    /// <summary>Staff's free text on an incident (notes, outcome notes): ≤ 2,000 characters, no control characters other than tab and line breaks.</summary>
    public static IRuleBuilderOptions<T, string?> IncidentText<T>(this IRuleBuilder<T, string?> rule) => rule
        .MaximumLength(IncidentOutcomes.MaxNotes)
        .Must(t => t is null || InputRules.TextRefusal(t) is null).WithMessage((_, t) => $"The text {InputRules.TextRefusal(t)}");
}

internal sealed class AcknowledgeIncidentCommandHandler(IncidentLifecycle lifecycle) : ICommandHandler<AcknowledgeIncidentCommand, IncidentDto>
{
    public ValueTask<IncidentDto> Handle(AcknowledgeIncidentCommand command, CancellationToken cancellationToken) =>
        lifecycle.ChangeAsync(command.IncidentId, command.By, "Acknowledged", (i, by, at) => i.Acknowledge(by, at), cancellationToken);
}

internal sealed class CloseIncidentCommandHandler(IncidentLifecycle lifecycle, HitConfirmationGate gate) : ICommandHandler<CloseIncidentCommand, IncidentDto>
{
    public async ValueTask<IncidentDto> Handle(CloseIncidentCommand command, CancellationToken cancellationToken)
    {
        if (command.Outcome == StoppedOutcome) // acting on a hit (ADR 0043)
            await gate.RequireConfirmedAsync(command.IncidentId, "closing it as stopped", cancellationToken);
        return await lifecycle.ChangeAsync(command.IncidentId, command.By, "Closed", (i, by, at) => i.Close(by, at, command.Outcome!, Clean(command.Notes)),
            cancellationToken, Clean(command.Notes));
    }

    public const string StoppedOutcome = "stopped";

    internal static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

internal sealed class ReopenIncidentCommandHandler(IncidentLifecycle lifecycle, AlertsDbContext db) : ICommandHandler<ReopenIncidentCommand, IncidentDto>
{
    public async ValueTask<IncidentDto> Handle(ReopenIncidentCommand command, CancellationToken cancellationToken)
    {
        var joinKey = await db.Incidents.Where(i => i.Id == command.IncidentId).Select(i => i.JoinKey).FirstOrDefaultAsync(cancellationToken);
        // One incident per listed vehicle while it is open: a newer one for the same vehicle takes the reads now.
        if (joinKey is not null && await db.Incidents.AnyAsync(i => i.JoinKey == joinKey && i.Id != command.IncidentId && i.Status != IncidentStatus.Closed, cancellationToken))
            throw new DomainRuleException("A newer incident for the same vehicle is open; work on that one.");
        return await lifecycle.ChangeAsync(command.IncidentId, command.By, "Reopened", (i, _, _) => i.Reopen(), cancellationToken,
            CloseIncidentCommandHandler.Clean(command.Notes));
    }
}

/// <summary>
/// open → acknowledged → closed (→ reopened), each step recorded on the timeline with who and when, kept in the status history (with the
/// outcome and notes, never overwritten) and pushed live.
/// </summary>
internal sealed class IncidentLifecycle(AlertsDbContext db, TimeProvider clock, IncidentBroadcaster broadcaster)
{
    public async ValueTask<IncidentDto> ChangeAsync(Guid incidentId, string by, string kind, Action<Incident, string, DateTimeOffset> change,
        CancellationToken ct, string? notes = null)
    {
        var incident = await db.Incidents.FindAsync([incidentId], ct) ?? throw new DomainRuleException("No such incident.", 404);
        var now = clock.GetUtcNow();
        var from = incident.Status;
        change(incident, by, now);
        var outcome = incident.Status == IncidentStatus.Closed ? incident.Outcome : null;
        var text = $"{kind} by {by}" + (outcome is null ? "" : $": {IncidentOutcomes.Label(incident.Kind, outcome)}") + (notes is null ? "" : $" — {notes}");
        var entry = new TimelineEntry
        {
            Id = Guid.CreateVersion7(), IncidentId = incident.Id, At = now, Module = "Alerts", Kind = kind, Text = text,
        };
        db.Timeline.Add(entry);
        var statusChange = new IncidentStatusChange
        {
            Id = Guid.CreateVersion7(), IncidentId = incident.Id, At = now, By = by, FromStatus = from, ToStatus = incident.Status, Outcome = outcome,
            Notes = notes,
        };
        db.StatusChanges.Add(statusChange);
        // Closed: what is still on for it stands down — its lights back to their level, its readers no longer tying reads (ADR 0068).
        if (from != IncidentStatus.Closed && incident.Status == IncidentStatus.Closed)
            db.AddOutboxMessage(StandDowns.Closing(incident, statusChange), statusChange.Id);
        await db.SaveChangesAsync(ct);
        var dto = incident.ToDto();
        await broadcaster.IncidentChangedAsync(dto, entry.ToDto());
        return dto;
    }
}

/// <summary>The stand-downs Alerts writes (ADR 0068) and tells a late reaction of: one construction for both, so they are the same event.</summary>
internal static class StandDowns
{
    public static IncidentStandDownEvent Closing(Incident incident, IncidentStatusChange close) =>
        Closing(incident.Id, incident.Kind, close.Id, close.At, close.Outcome);

    public static IncidentStandDownEvent Closing(Guid incidentId, string kind, Guid statusChangeId, DateTimeOffset at, string? outcome) =>
        new(statusChangeId, incidentId, kind, Closed: true, at, $"Incident closed ({IncidentOutcomes.Label(kind, outcome)})");

    public static IncidentStandDownEvent Reclassifying(Incident incident, IncidentCorrection kindCorrection) =>
        Reclassifying(incident.Id, incident.Kind, kindCorrection.Id, kindCorrection.At);

    public static IncidentStandDownEvent Reclassifying(Guid incidentId, string kind, Guid correctionId, DateTimeOffset at) =>
        new(StableId.Of($"stand-down:{correctionId}"), incidentId, kind, Closed: false, at, $"Reclassified as {IncidentKinds.Label(kind).ToLowerInvariant()}");
}

/// <summary>One round trip (the incident, its latest close and its latest kind correction): it is on the path of every incident's response, once a delivery.</summary>
internal sealed class GetIncidentNowQueryHandler(AlertsDbContext db) : IQueryHandler<GetIncidentNowQuery, IncidentNowDto?>
{
    public async ValueTask<IncidentNowDto?> Handle(GetIncidentNowQuery query, CancellationToken cancellationToken)
    {
        var now = await db.Incidents.AsNoTracking().Where(i => i.Id == query.IncidentId).Select(i => new
        {
            i.Id, i.Kind, i.Latitude, i.Longitude, i.Status,
            Close = db.StatusChanges.Where(s => s.IncidentId == i.Id && s.ToStatus == IncidentStatus.Closed).OrderByDescending(s => s.At)
                .Select(s => new { s.Id, s.At, s.Outcome }).FirstOrDefault(),
            Reclassified = db.Corrections.Where(c => c.IncidentId == i.Id && c.Field == IncidentCorrection.KindField).OrderByDescending(c => c.At)
                .Select(c => new { c.Id, c.At }).FirstOrDefault(),
        }).FirstOrDefaultAsync(cancellationToken);
        if (now is null)
            return null;
        var standDown = now.Status == IncidentStatus.Closed
            ? now.Close is { } close ? StandDowns.Closing(now.Id, now.Kind, close.Id, close.At, close.Outcome) : null
            : now.Reclassified is { } reclassified ? StandDowns.Reclassifying(now.Id, now.Kind, reclassified.Id, reclassified.At) : null;
        return new IncidentNowDto(now.Kind, now.Latitude, now.Longitude, standDown);
    }
}
