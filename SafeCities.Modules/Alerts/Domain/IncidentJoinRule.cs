using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Modules.Alerts.Domain;

/// <summary>
/// Several shots, one incident: a detection joins the nearest open (or acknowledged) gunshot incident within
/// <see cref="AlertsOptions.JoinDistanceMeters"/> whose activity is within <see cref="AlertsOptions.JoinWindowMinutes"/> of it.
/// </summary>
internal static class IncidentJoinRule
{
    public static Incident? BestMatch(IEnumerable<Incident> candidates, string kind, DateTimeOffset occurredAt, double latitude, double longitude,
        AlertsOptions options)
    {
        var window = TimeSpan.FromMinutes(options.JoinWindowMinutes);
        return candidates
            .Where(i => i.Kind == kind && i.Status != IncidentStatus.Closed)
            .Where(i => occurredAt >= i.OpenedAt - window && occurredAt <= i.LastActivityAt + window)
            .Select(i => (Incident: i, Distance: GeoMath.DistanceMeters(i.Latitude, i.Longitude, latitude, longitude)))
            .Where(c => c.Distance <= options.JoinDistanceMeters)
            .OrderBy(c => c.Distance)
            .Select(c => c.Incident)
            .FirstOrDefault();
    }
}
