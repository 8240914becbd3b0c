using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Outbox;

namespace SafeCities.Modules.Plates.Features;

/// <summary>
/// When an incident opens, runs the co-location against the related incidents still open (same kind, last 30 days, within
/// <see cref="RelatedWithinMeters"/>) and puts the strong matches (seen near this incident and at least one related one, score at least
/// <see cref="StrongScore"/>) on its timeline (Plates' outbox). Audited as <c>system</c> with the incident as purpose. A failure is logged,
/// never thrown: the other reactions to the incident must run. Not for hotlist hits: the hit already names its vehicle, and linking hits to
/// other hits only put the same listed vehicles on every hit's timeline (and a system search in the audit per hit).
/// </summary>
internal sealed class ColocateVehiclesOnIncidentOpenedHandler(ISender sender, PlatesDbContext db, TimeProvider clock,
    ILogger<ColocateVehiclesOnIncidentOpenedHandler> logger) : INotificationHandler<IncidentOpenedEvent>, IRunsAfterReactions
{
    public const double RelatedWithinMeters = 20_000;
    public const int RadiusMeters = 500;
    public const int WindowMinutes = 15;
    /// <summary>About two places where the vehicle passes on at most two days a month: ln(29/3)·2 ≈ 4.5.</summary>
    public const double StrongScore = 4.0;

    public async ValueTask Handle(IncidentOpenedEvent e, CancellationToken cancellationToken)
    {
        if (e.Kind == IncidentKinds.HotlistHit)
            return;
        try
        {
            var related = await sender.Send(new ListOpenIncidentsNearQuery(e.Latitude, e.Longitude, RelatedWithinMeters, e.OccurredAt.AddDays(-30),
                e.OccurredAt.AddMinutes(1), [e.Kind], e.IncidentId, 19), cancellationToken);
            if (related.Count == 0)
                return;
            var places = new List<ColocationPlaceDto> { new(e.Latitude, e.Longitude, e.OccurredAt) };
            places.AddRange(related.Select(i => new ColocationPlaceDto(i.Latitude, i.Longitude, i.OpenedAt)));
            var result = await sender.Send(new ColocationCommand("system", $"Automatic co-location for incident {e.IncidentId}", places, RadiusMeters,
                WindowMinutes, 2, 20), cancellationToken);
            var strong = result.Vehicles.Where(v => v.MatchedIncidents.Contains(0) && v.Score >= StrongScore).Take(5).ToList();
            if (strong.Count == 0)
                return;
            var text = $"{strong.Count} vehicle{(strong.Count == 1 ? "" : "s")} also seen near related open incidents: " + string.Join("; ", strong.Select(v =>
                $"{v.Plate} ({v.Region}) near {v.MatchedIncidents.Count - 1} other" + " (" + string.Join(", ", v.MatchedIncidents.Where(i => i > 0)
                    .Select(i => related[i - 1].Title + " " + related[i - 1].OpenedAt.UtcDateTime.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture))) + ")"));
            var id = ReactionId(e.IncidentId);
            if (await db.Set<OutboxMessage>().AnyAsync(m => m.Id == id, cancellationToken))
                return; // reported by an earlier delivery of the opening
            db.AddOutboxMessage(PlatesReports.Colocated(id, e.IncidentId, clock.GetUtcNow(), text), id);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Automatic co-location for incident {IncidentId} failed", e.IncidentId);
        }
    }

    /// <summary>Fixed per incident, so a re-published opening reports the co-location once.</summary>
    private static Guid ReactionId(Guid incidentId) =>
        new(MD5.HashData(Encoding.UTF8.GetBytes($"plates-colocation:{incidentId}")));
}
