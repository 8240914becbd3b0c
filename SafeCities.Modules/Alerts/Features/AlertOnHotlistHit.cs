using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Mediator;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;
using SafeCities.Modules.Alerts.Domain;
using SafeCities.Modules.Alerts.Realtime;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Alerts.Features;

/// <summary>
/// A hotlist hit opens an incident of kind <c>hotlist-hit</c> at the reader (once per hit), so it stays on the command board with the
/// normal acknowledge/close lifecycle and timeline, and modules configured to react to hits do; it is also flashed to every board as
/// an officer notice. The hit itself is stored by Plates (evidence, listed at <c>/api/v1/plates/hits</c>). Officers' positions are not
/// known to the platform yet, so "officers near the reader" is the reader's name and position in the alert.
/// </summary>
internal sealed class AlertOnHotlistHitHandler(AlertsDbContext db, IncidentBroadcaster broadcaster, IncidentReactionQueue reactions, TimeProvider clock,
    IHubContext<IncidentsHub, IIncidentsClient> hub, ILogger<AlertOnHotlistHitHandler> logger) : INotificationHandler<HotlistHitEvent>
{
    public async ValueTask Handle(HotlistHitEvent e, CancellationToken cancellationToken)
    {
        await OpenIncidentAsync(e, cancellationToken);
        var kind = e.MatchKind == "exact" ? "exact match" : $"{e.MatchKind} match of {e.EntryPlate}";
        var why = e.Reason ?? $"restricted list — contact {e.Owner}";
        var text = $"{e.ReadPlate} ({e.Region}, {kind}) at {e.ReaderName} {e.CapturedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC"
            + $" [{e.Latitude:0.00000}, {e.Longitude:0.00000}] — {e.HotlistName}: {why}"
            + (e.Retroactive ? " (found in past reads when the plate was listed)" : "");
        var notice = new OfficerNotificationDto(e.HitId, "HotlistHit", $"Hotlist hit ({e.AlertLevel}): {e.ReadPlate}", text, null, null, null, e.CapturedAt);
        try
        {
            await hub.Clients.Group(IncidentsHub.StaffGroup).OfficerNotified(notice);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not push hotlist hit {HitId} to live boards", e.HitId);
        }
    }

    private async Task OpenIncidentAsync(HotlistHitEvent e, CancellationToken ct)
    {
        if (await db.Incidents.AnyAsync(i => i.Id == e.HitId, ct))
            return;
        var incident = new Incident
        {
            Id = e.HitId, Kind = IncidentKinds.HotlistHit, Latitude = e.Latitude, Longitude = e.Longitude, Location = GeoMath.Point(e.Latitude, e.Longitude),
            Title = $"Hotlist hit ({e.AlertLevel}): {e.ReadPlate}" + (e.Retroactive ? " in a past read" : ""), OpenedAt = e.CapturedAt,
            LastActivityAt = e.CapturedAt, Source = e.ReaderName.Length > 80 ? e.ReaderName[..80] : e.ReaderName, Detections = 1,
        };
        var match = e.MatchKind == "exact" ? "exact match" : $"{e.MatchKind} match of {e.EntryPlate}";
        var entry = new TimelineEntry
        {
            Id = Guid.CreateVersion7(), IncidentId = incident.Id, At = clock.GetUtcNow(), Module = "Plates", Kind = "HotlistHit",
            Text = $"{e.ReadPlate} ({e.Region}, {match}) read by {e.ReaderName} at {e.CapturedAt.UtcDateTime:HH:mm:ss} UTC — {e.HotlistName}: "
                + (e.Reason ?? $"restricted list, contact {e.Owner}"),
        };
        db.Incidents.Add(incident);
        db.Timeline.Add(entry);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return; // the same hit delivered twice at once
        }
        await broadcaster.IncidentChangedAsync(incident.ToDto(), entry.ToDto());
        reactions.Enqueue(incident.Id);
    }
}
