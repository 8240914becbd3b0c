using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;
using SafeCities.Modules.Alerts.Domain;

namespace SafeCities.Modules.Alerts.Features;

/// <summary>Every module's reaction lands on the incident's timeline once, and is pushed to the boards.</summary>
internal sealed class RecordReactionOnTimelineHandler(AlertsDbContext db, IncidentBroadcaster broadcaster)
    : INotificationHandler<IncidentReactionReportedEvent>
{
    /// <remarks>
    /// One statement: the entry is written only while its incident exists, once (the reaction's id is the entry's; a delivery again
    /// finds it there). Armed readers report a batch at a time, so this runs for most busy batches (was three statements and EF's
    /// change tracking).
    /// </remarks>
    public async ValueTask Handle(IncidentReactionReportedEvent reaction, CancellationToken cancellationToken)
    {
        var entry = new TimelineEntry
        {
            Id = reaction.ReactionId, IncidentId = reaction.IncidentId, At = reaction.At.ToUniversalTime(), Module = reaction.Module,
            Kind = reaction.Kind, Text = reaction.Text,
        };
        var written = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO alerts.timeline (id, at, incident_id, kind, module, text)
            SELECT {entry.Id}, {entry.At}, {entry.IncidentId}, {entry.Kind}, {entry.Module}, {entry.Text}
            WHERE EXISTS (SELECT 1 FROM alerts.incidents WHERE id = {entry.IncidentId})
            ON CONFLICT (id) DO NOTHING
            """, cancellationToken);
        if (written == 1)
            await broadcaster.TimelineAppendedAsync(entry.ToDto());
    }
}
