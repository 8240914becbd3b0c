using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;
using SafeCities.Modules.Alerts.Domain;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Alerts.Features;

/// <summary>Every module's reaction lands on the incident's timeline once, and is pushed to the boards.</summary>
internal sealed class RecordReactionOnTimelineHandler(AlertsDbContext db, IncidentBroadcaster broadcaster)
    : INotificationHandler<IncidentReactionReportedEvent>
{
    public async ValueTask Handle(IncidentReactionReportedEvent reaction, CancellationToken cancellationToken)
    {
        if (await db.Timeline.AnyAsync(t => t.Id == reaction.ReactionId, cancellationToken)
            || !await db.Incidents.AnyAsync(i => i.Id == reaction.IncidentId, cancellationToken))
            return;
        var entry = new TimelineEntry
        {
            Id = reaction.ReactionId, IncidentId = reaction.IncidentId, At = reaction.At, Module = reaction.Module, Kind = reaction.Kind,
            Text = reaction.Text,
        };
        db.Timeline.Add(entry);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return; // recorded concurrently by a re-dispatch
        }
        await broadcaster.TimelineAppendedAsync(entry.ToDto());
    }
}
