using Microsoft.AspNetCore.SignalR;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;
using SafeCities.Modules.Alerts.Domain;
using SafeCities.Modules.Alerts.Realtime;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Modules.Shared.Outbox;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Alerts.Features;

/// <summary>
/// A hotlist hit opens an incident of kind <c>hotlist-hit</c> at the reader (once per hit), so it stays on the command board with the
/// normal acknowledge/close lifecycle and timeline, and modules configured to react to hits do. The officer notice is pushed to the
/// officers near the reader (a fresh shared position within <see cref="HitAlertOptions.NearbyOfficerRadiusMeters"/>, each told how far
/// they are) and to administrators and commanders (<c>notices:all</c>); who was told goes on the incident's timeline. The hit itself is
/// stored by Plates (evidence, listed at <c>/api/v1/plates/hits</c>).
/// </summary>
internal sealed class AlertOnHotlistHitHandler(AlertsDbContext db, IncidentBroadcaster broadcaster, OutboxDelivery outbox, TimeProvider clock,
    OfficerLocator officers, IHubContext<IncidentsHub, IIncidentsClient> hub, ILogger<AlertOnHotlistHitHandler> logger) : INotificationHandler<HotlistHitEvent>
{
    public async ValueTask Handle(HotlistHitEvent e, CancellationToken cancellationToken)
    {
        if (!await OpenIncidentAsync(e, cancellationToken))
            return; // already handled: the notice went out with the incident
        var text = $"{e.ReadPlate} ({e.Region}, {Match(e)}) at {e.ReaderName} {e.CapturedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC"
            + $" [{e.Latitude:0.00000}, {e.Longitude:0.00000}] — {e.HotlistName}: {e.Reason ?? $"restricted list — contact {e.Owner}"}"
            + (e.Retroactive ? " (found in past reads when the plate was listed)" : "");
        var title = Title(e);
        // A retroactive hit is history (the vehicle passed days ago): command staff see it, nobody is sent after it.
        var near = e.Retroactive ? [] : await officers.NearAsync(e.Latitude, e.Longitude, cancellationToken);
        try
        {
            await hub.Clients.Group(IncidentsHub.AllNoticesGroup).OfficerNotified(new OfficerNotificationDto(e.HitId, "HotlistHit", title, text, null, null, null, e.CapturedAt));
            foreach (var officer in near)
                await hub.Clients.Group(IncidentsHub.UserGroup(officer.UserName)).OfficerNotified(new OfficerNotificationDto(e.HitId, "HotlistHit", title,
                    $"{text}. You are {Distance(officer.DistanceMeters)} from the reader.", null, null, null, e.CapturedAt));
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not push hotlist hit {HitId} to live boards", e.HitId);
        }
        var delivered = e.Retroactive ? "Past read: notice sent to commanders only."
            : near.Count == 0 ? $"No officer shared a position within {Distance(officers.RadiusMeters)} of the reader: notice sent to commanders only."
            : $"Pushed to {near.Count} officer(s) within {Distance(officers.RadiusMeters)}: "
              + string.Join(", ", near.Take(10).Select(o => $"{o.UserName} ({Distance(o.DistanceMeters)})")) + (near.Count > 10 ? ", …" : "") + ".";
        await AppendAsync(e.HitId, "HitNoticeDelivered", delivered, cancellationToken);
    }

    private static string Title(HotlistHitEvent e) => $"Hotlist hit ({e.AlertLevel}): {e.ReadPlate}";

    private static string Match(HotlistHitEvent e) => e.MatchKind == "exact" ? "exact match" : $"{e.MatchKind} match of {e.EntryPlate}";

    private static string Distance(double meters) => meters < 1000 ? $"{meters:0} m" : $"{meters / 1000:0.0} km";

    private async Task AppendAsync(Guid incidentId, string kind, string text, CancellationToken ct)
    {
        var entry = new TimelineEntry { Id = Guid.CreateVersion7(), IncidentId = incidentId, At = clock.GetUtcNow(), Module = "Alerts", Kind = kind, Text = text };
        db.Timeline.Add(entry);
        await db.SaveChangesAsync(ct);
        await broadcaster.TimelineAppendedAsync(entry.ToDto());
    }

    /// <returns>False when the hit's incident already existed (the event was delivered again).</returns>
    private async Task<bool> OpenIncidentAsync(HotlistHitEvent e, CancellationToken ct)
    {
        if (await db.Incidents.AnyAsync(i => i.Id == e.HitId, ct))
            return false;
        var incident = new Incident
        {
            Id = e.HitId, Kind = IncidentKinds.HotlistHit, Latitude = e.Latitude, Longitude = e.Longitude, Location = GeoMath.Point(e.Latitude, e.Longitude),
            Title = Title(e) + (e.Retroactive ? " in a past read" : ""), OpenedAt = e.CapturedAt,
            LastActivityAt = e.CapturedAt, Source = e.ReaderName.Length > 80 ? e.ReaderName[..80] : e.ReaderName, Detections = 1,
        };
        var entry = new TimelineEntry
        {
            Id = Guid.CreateVersion7(), IncidentId = incident.Id, At = clock.GetUtcNow(), Module = "Plates", Kind = "HotlistHit",
            Text = $"{e.ReadPlate} ({e.Region}, {Match(e)}) read by {e.ReaderName} at {e.CapturedAt.UtcDateTime:HH:mm:ss} UTC — {e.HotlistName}: "
                + (e.Reason ?? $"restricted list, contact {e.Owner}"),
        };
        db.Incidents.Add(incident);
        db.Timeline.Add(entry);
        var reactions = db.AddOutboxMessage(incident.Opened(uncertaintyMeters: null), incident.Id, deliveredByCaller: true);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return false; // the same hit delivered twice at once
        }
        await broadcaster.IncidentChangedAsync(incident.ToDto(), entry.ToDto());
        outbox.Post(typeof(AlertsDbContext), reactions);
        return true;
    }
}
