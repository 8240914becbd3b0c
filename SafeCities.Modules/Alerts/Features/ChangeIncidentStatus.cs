using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;
using SafeCities.Modules.Alerts.Domain;
using SafeCities.Modules.Shared.Messaging;

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
    }
}

internal sealed class AcknowledgeIncidentCommandHandler(IncidentLifecycle lifecycle) : ICommandHandler<AcknowledgeIncidentCommand, IncidentDto>
{
    public ValueTask<IncidentDto> Handle(AcknowledgeIncidentCommand command, CancellationToken cancellationToken) =>
        lifecycle.ChangeAsync(command.IncidentId, command.By, "Acknowledged", (i, by, at) => i.Acknowledge(by, at), cancellationToken);
}

internal sealed class CloseIncidentCommandHandler(IncidentLifecycle lifecycle) : ICommandHandler<CloseIncidentCommand, IncidentDto>
{
    public ValueTask<IncidentDto> Handle(CloseIncidentCommand command, CancellationToken cancellationToken) =>
        lifecycle.ChangeAsync(command.IncidentId, command.By, "Closed", (i, by, at) => i.Close(by, at), cancellationToken);
}

/// <summary>open → acknowledged → closed, each step recorded on the timeline with who and when, and pushed live.</summary>
internal sealed class IncidentLifecycle(AlertsDbContext db, TimeProvider clock, IncidentBroadcaster broadcaster)
{
    public async ValueTask<IncidentDto> ChangeAsync(Guid incidentId, string by, string kind, Action<Incident, string, DateTimeOffset> change,
        CancellationToken ct)
    {
        var incident = await db.Incidents.FindAsync([incidentId], ct) ?? throw new DomainRuleException("No such incident.", 404);
        var now = clock.GetUtcNow();
        change(incident, by, now);
        var entry = new TimelineEntry
        {
            Id = Guid.CreateVersion7(), IncidentId = incident.Id, At = now, Module = "Alerts", Kind = kind, Text = $"{kind} by {by}",
        };
        db.Timeline.Add(entry);
        await db.SaveChangesAsync(ct);
        var dto = incident.ToDto();
        await broadcaster.IncidentChangedAsync(dto, entry.ToDto());
        return dto;
    }
}
