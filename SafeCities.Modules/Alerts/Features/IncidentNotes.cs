using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;
using SafeCities.Modules.Alerts.Domain;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Modules.Alerts.Features;

internal sealed class AddIncidentNoteCommandValidator : AbstractValidator<AddIncidentNoteCommand>
{
    public AddIncidentNoteCommandValidator()
    {
        RuleFor(c => c.IncidentId).NotEmpty();
        RuleFor(c => c.By).NotEmpty().MaximumLength(256);
        RuleFor(c => c.Text).Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage("Write the note.");
        RuleFor(c => c.Text).IncidentText();
    }
}

/// <summary>
/// A note by staff: kept (never changed), put on the timeline with its author and pushed live, and audited in the same transaction
/// (who wrote on which incident, and how much).
/// </summary>
internal sealed class AddIncidentNoteCommandHandler(AlertsDbContext db, TimeProvider clock, IncidentBroadcaster broadcaster)
    : ICommandHandler<AddIncidentNoteCommand, IncidentNoteDto>
{
    public async ValueTask<IncidentNoteDto> Handle(AddIncidentNoteCommand command, CancellationToken cancellationToken)
    {
        if (!await db.Incidents.AnyAsync(i => i.Id == command.IncidentId, cancellationToken))
            throw new DomainRuleException("No such incident.", 404);
        var now = clock.GetUtcNow();
        var note = new IncidentNote { Id = Guid.CreateVersion7(), IncidentId = command.IncidentId, At = now, By = command.By, Text = command.Text!.Trim() };
        var entry = new TimelineEntry
        {
            Id = note.Id, IncidentId = note.IncidentId, At = now, Module = "Alerts", Kind = "Note", Text = $"Note by {note.By}: {note.Text}",
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Notes.Add(note);
        db.Timeline.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        await db.AuditAsync(command.By, "Alerts", "incident-note", null, new { incidentId = note.IncidentId, noteId = note.Id, length = note.Text.Length },
            now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await broadcaster.TimelineAppendedAsync(entry.ToDto());
        return note.ToDto();
    }
}

internal sealed class GetIncidentRecordQueryHandler(AlertsDbContext db) : IQueryHandler<GetIncidentRecordQuery, IncidentRecordDto?>
{
    public async ValueTask<IncidentRecordDto?> Handle(GetIncidentRecordQuery query, CancellationToken cancellationToken)
    {
        if (!await db.Incidents.AnyAsync(i => i.Id == query.IncidentId, cancellationToken))
            return null;
        var notes = await db.Notes.AsNoTracking().Where(n => n.IncidentId == query.IncidentId).OrderBy(n => n.At).ThenBy(n => n.Id)
            .ToListAsync(cancellationToken);
        var history = await db.StatusChanges.AsNoTracking().Where(c => c.IncidentId == query.IncidentId).OrderBy(c => c.At).ThenBy(c => c.Id)
            .ToListAsync(cancellationToken);
        var corrections = await db.Corrections.AsNoTracking().Where(c => c.IncidentId == query.IncidentId).OrderBy(c => c.At).ThenBy(c => c.Id)
            .ToListAsync(cancellationToken);
        return new IncidentRecordDto(notes.Select(n => n.ToDto()).ToList(), history.Select(c => c.ToDto()).ToList(),
            corrections.Select(c => c.ToDto()).ToList());
    }
}
