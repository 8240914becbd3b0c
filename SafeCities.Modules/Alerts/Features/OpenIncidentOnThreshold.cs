using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;
using SafeCities.Modules.Alerts.Domain;
using SafeCities.Modules.Alerts.Realtime;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Modules.Shared.Outbox;
using SafeCities.Modules.Shared.Text;

namespace SafeCities.Modules.Alerts.Features;

/// <summary>
/// An environmental threshold crossing opens an incident of its kind (id = the crossing's, so a re-delivered event is a no-op) with what
/// the nearby sensors read at that moment; its clearing goes on that incident's timeline. The incident reaches the boards like any other and,
/// when the modules' settings name its kind, triggers the integrated response.
/// </summary>
internal sealed class OpenIncidentOnThresholdHandler(AlertsDbContext db, IncidentBroadcaster broadcaster, OutboxDelivery outbox, TimeProvider clock,
    ISender sender) : INotificationHandler<EnvironmentalThresholdCrossedEvent>, INotificationHandler<EnvironmentalThresholdClearedEvent>
{
    public const double NearbyMeters = 1500;
    private const string ClearedKind = "ThresholdCleared";

    public async ValueTask Handle(EnvironmentalThresholdCrossedEvent e, CancellationToken cancellationToken)
    {
        if (await db.Incidents.AnyAsync(i => i.Id == e.CrossingId, cancellationToken))
            return;
        var district = (await sender.Send(new LocateDistrictsQuery([new DistrictPointDto(e.Latitude, e.Longitude)]), cancellationToken))[0];
        var nearby = await sender.Send(new ListNearbySensorValuesQuery(e.Latitude, e.Longitude, NearbyMeters), cancellationToken);
        var incident = new Incident
        {
            Id = e.CrossingId, Kind = IncidentKinds.Environmental.Contains(e.Kind) ? e.Kind : IncidentKinds.AirQuality,
            Title = $"{e.Label} {Measurement.Text(e.Value)} {e.Unit} — {e.RuleName}", Latitude = e.Latitude, Longitude = e.Longitude,
            Location = GeoMath.Point(e.Latitude, e.Longitude), OpenedAt = e.At, LastActivityAt = e.At, Source = e.DeviceName.Length > 80 ? e.DeviceName[..80] : e.DeviceName, Detections = 1, District = district,
        };
        if (incident.Title.Length > 200)
            incident.Title = incident.Title[..200];
        db.Incidents.Add(incident);
        var reactions = db.AddOutboxMessage(incident.Opened(uncertaintyMeters: null), incident.Id, deliveredByCaller: true);
        var crossed = Entry(incident.Id, "ThresholdCrossed", e.At,
            $"{e.DeviceName}: {e.Label} {Measurement.Text(e.Value)} {e.Unit}, {(e.Above ? "at or above" : "at or below")} {Measurement.Text(e.Threshold)} for the rule's duration "
            + $"({e.RuleName}, severity {e.Severity})");
        db.Timeline.Add(crossed);
        var others = nearby.Where(v => v.DeviceId != e.DeviceId || v.Quantity != e.Quantity).Take(12)
            .Select(v => $"{v.DeviceName} ({v.DistanceMeters:0} m) {v.Text}").ToList();
        if (others.Count > 0)
            db.Timeline.Add(Entry(incident.Id, "NearbySensors", e.At, "Nearby sensors now: " + string.Join("; ", others)));
        await db.SaveChangesAsync(cancellationToken);
        await broadcaster.IncidentChangedAsync(incident.ToDto(), crossed.ToDto());
        outbox.Post(typeof(AlertsDbContext), reactions);
    }

    public async ValueTask Handle(EnvironmentalThresholdClearedEvent e, CancellationToken cancellationToken)
    {
        if (!await db.Incidents.AnyAsync(i => i.Id == e.CrossingId, cancellationToken)
            || await db.Timeline.AnyAsync(t => t.IncidentId == e.CrossingId && t.Kind == ClearedKind, cancellationToken))
            return;
        var entry = Entry(e.CrossingId, ClearedKind, e.At,
            $"Cleared: {e.DeviceName} reads {Measurement.Text(e.Value)} {e.Unit}, past the clear level {Measurement.Text(e.ClearLevel)} ({e.RuleName})");
        db.Timeline.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        await broadcaster.TimelineAppendedAsync(entry.ToDto());
    }

    private TimelineEntry Entry(Guid incidentId, string kind, DateTimeOffset at, string text) => new()
    {
        Id = Guid.CreateVersion7(), IncidentId = incidentId, At = at < clock.GetUtcNow() ? at : clock.GetUtcNow(), Module = "Sensors", Kind = kind,
        Text = text.Length > TimelineEntry.MaxText ? text[..TimelineEntry.MaxText] : text,
    };
}
