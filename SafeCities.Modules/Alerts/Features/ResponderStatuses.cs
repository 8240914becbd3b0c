using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;
using SafeCities.Modules.Alerts.Domain;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Modules.Alerts.Features;

internal sealed class ReportResponderStatusCommandValidator : AbstractValidator<ReportResponderStatusCommand>
{
    public ReportResponderStatusCommandValidator()
    {
        RuleFor(c => c.IncidentId).NotEmpty();
        RuleFor(c => c.UserName).NotEmpty().MaximumLength(256);
        RuleFor(c => c.Status).Must(s => ResponderStatus.All.Contains(s))
            .WithMessage($"'status' must be one of {string.Join(", ", ResponderStatus.All)}.");
    }
}

/// <summary>
/// An officer's status goes on the incident's timeline (module <see cref="Module"/>), which is where command staff already look, so the
/// Alerts schema needs no table of its own for it (ADR 0016). A repeat of the officer's current status records nothing.
/// </summary>
internal sealed class ReportResponderStatusCommandHandler(AlertsDbContext db, TimeProvider clock, IncidentBroadcaster broadcaster, HitConfirmationGate gate)
    : ICommandHandler<ReportResponderStatusCommand, ResponderStatusDto>
{
    public const string Module = "Responders";
    public const string KindPrefix = "responder:";

    public async ValueTask<ResponderStatusDto> Handle(ReportResponderStatusCommand command, CancellationToken cancellationToken)
    {
        var incident = await db.Incidents.AsNoTracking().FirstOrDefaultAsync(i => i.Id == command.IncidentId, cancellationToken)
                       ?? throw new DomainRuleException("No such incident.", 404);
        if (incident.Status == IncidentStatus.Closed)
            throw new DomainRuleException("The incident is closed.");
        var latest = (await ListIncidentRespondersQueryHandler.LatestAsync(db, command.IncidentId, cancellationToken))
            .FirstOrDefault(r => r.UserName == command.UserName);
        if (latest is not null && latest.Status == command.Status)
            return latest;
        if (command.Status is ResponderStatus.EnRoute or ResponderStatus.OnScene) // acting on a hit needs it confirmed (ADR 0043)
            await gate.RequireConfirmedAsync(incident.Id, $"going {ResponderStatus.Label(command.Status)}", cancellationToken);
        var entry = new TimelineEntry
        {
            Id = Guid.CreateVersion7(), IncidentId = incident.Id, At = clock.GetUtcNow(), Module = Module, Kind = KindPrefix + command.Status,
            Text = $"{command.UserName}: {ResponderStatus.Label(command.Status)}",
        };
        db.Timeline.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        await broadcaster.TimelineAppendedAsync(entry.ToDto());
        return new ResponderStatusDto(command.UserName, command.Status, entry.At);
    }
}

internal sealed class ListIncidentRespondersQueryHandler(AlertsDbContext db) : IQueryHandler<ListIncidentRespondersQuery, IReadOnlyList<ResponderStatusDto>>
{
    public async ValueTask<IReadOnlyList<ResponderStatusDto>> Handle(ListIncidentRespondersQuery query, CancellationToken cancellationToken) =>
        await LatestAsync(db, query.IncidentId, cancellationToken);

    /// <summary>The officer is the text before ": " (user names are e-mail addresses and hold no ": ").</summary>
    internal static async Task<IReadOnlyList<ResponderStatusDto>> LatestAsync(AlertsDbContext db, Guid incidentId, CancellationToken ct)
    {
        var entries = await db.Timeline.AsNoTracking()
            .Where(t => t.IncidentId == incidentId && t.Module == ReportResponderStatusCommandHandler.Module)
            .OrderByDescending(t => t.At).Select(t => new { t.Kind, t.Text, t.At }).ToListAsync(ct);
        return entries
            .Select(e => new ResponderStatusDto(e.Text.Split(": ", 2)[0], e.Kind[ReportResponderStatusCommandHandler.KindPrefix.Length..], e.At))
            .DistinctBy(r => r.UserName)
            .ToList();
    }
}
