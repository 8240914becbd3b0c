using SafeCities.Modules.Shared.Text;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;
using SafeCities.Modules.Alerts.Domain;
using SafeCities.Modules.Alerts.Realtime;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Modules.Shared.Outbox;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Alerts.Features;

/// <summary>A located gunshot opens an incident, or joins the open one it belongs to. Idempotent per detection.</summary>
internal sealed class OpenIncidentOnGunshotHandler(AlertsDbContext db, IOptions<AlertsOptions> options, TimeProvider clock,
    IncidentBroadcaster broadcaster, OutboxDelivery outbox, ISender sender) : INotificationHandler<GunshotDetectedEvent>
{
    public async ValueTask Handle(GunshotDetectedEvent shot, CancellationToken cancellationToken)
    {
        if (await db.Detections.AnyAsync(d => d.DetectionId == shot.DetectionId, cancellationToken))
            return;
        // Looked up before the lock that serialises incident openings (another module's query does not hold it up).
        var district = (await sender.Send(new LocateDistrictsQuery([new DistrictPointDto(shot.Latitude, shot.Longitude)]), cancellationToken))[0];

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdvisoryLocks.IncidentOpening})", cancellationToken);
        if (await db.Detections.AnyAsync(d => d.DetectionId == shot.DetectionId, cancellationToken))
            return;

        var window = TimeSpan.FromMinutes(options.Value.JoinWindowMinutes);
        var earliest = shot.OccurredAt - window;
        var candidates = await db.Incidents
            .Where(i => i.Kind == IncidentKinds.Gunshot && i.Status != IncidentStatus.Closed && i.LastActivityAt >= earliest)
            .ToListAsync(cancellationToken);
        var incident = IncidentJoinRule.BestMatch(candidates, IncidentKinds.Gunshot, shot.OccurredAt, shot.Latitude, shot.Longitude, options.Value);
        var rounds = Plural.Count(shot.Rounds, "round");
        TimelineEntry entry;
        OutboxMessage? reactions = null;
        if (incident is null)
        {
            incident = new Incident
            {
                Id = Guid.CreateVersion7(), Kind = IncidentKinds.Gunshot, Title = "Gunshots detected", Latitude = shot.Latitude,
                Longitude = shot.Longitude, Location = GeoMath.Point(shot.Latitude, shot.Longitude), OpenedAt = shot.OccurredAt,
                LastActivityAt = shot.OccurredAt, Source = shot.Source, District = district,
            };
            db.Incidents.Add(incident);
            reactions = db.AddOutboxMessage(incident.Opened(shot.UncertaintyMeters), incident.Id, deliveredByCaller: true);
            entry = Timeline(incident, "IncidentOpened", $"Gunfire located by {shot.Source}: {rounds}" + Uncertainty(shot), shot.OccurredAt);
        }
        else
        {
            var meters = GeoMath.DistanceMeters(incident.Latitude, incident.Longitude, shot.Latitude, shot.Longitude);
            entry = Timeline(incident, "ShotsJoined", $"More gunfire {meters:0} m away ({shot.Source}): {rounds}", shot.OccurredAt);
        }
        incident.AddShots(shot.Rounds, shot.OccurredAt);
        incident.Retitle(incident.Rounds == 1 ? "Gunshot detected" : $"Gunshots detected ({incident.Rounds} rounds)");
        db.Detections.Add(new IncidentDetection
        {
            DetectionId = shot.DetectionId, IncidentId = incident.Id, OccurredAt = shot.OccurredAt, Latitude = shot.Latitude,
            Longitude = shot.Longitude, Rounds = shot.Rounds, UncertaintyMeters = shot.UncertaintyMeters,
        });
        db.Timeline.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        await broadcaster.IncidentChangedAsync(incident.ToDto(), entry.ToDto());
        // The boards first, then the modules' reactions (lights, cameras, readers), off this request.
        if (reactions is not null)
            outbox.Post(typeof(AlertsDbContext), reactions);
    }

    private TimelineEntry Timeline(Incident incident, string kind, string text, DateTimeOffset at) => new()
    {
        Id = Guid.CreateVersion7(), IncidentId = incident.Id, At = at < clock.GetUtcNow() ? at : clock.GetUtcNow(), Module = "Sensors", Kind = kind, Text = text,
    };

    private static string Uncertainty(GunshotDetectedEvent shot) =>
        shot.UncertaintyMeters is { } u ? $", ±{u:0} m" : "";
}
