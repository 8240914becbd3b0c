namespace SafeCities.Modules.Alerts.Contracts;

/// <summary>
/// Incidents not closed, of one of <paramref name="Kinds"/>, opened between <paramref name="OpenedFrom"/> and <paramref name="OpenedTo"/>
/// (inclusive), within <paramref name="WithinMeters"/> (great-circle distance, as <c>GeoMath.DistanceMeters</c>) of the place, leaving
/// out <paramref name="ExceptIncidentId"/>; the latest opened first, at most <paramref name="Limit"/>. PostgreSQL does the filtering.
/// </summary>
public sealed record ListOpenIncidentsNearQuery(double Latitude, double Longitude, double WithinMeters, DateTimeOffset OpenedFrom,
    DateTimeOffset OpenedTo, IReadOnlyList<string> Kinds, Guid? ExceptIncidentId = null, int Limit = 20) : IQuery<IReadOnlyList<IncidentDto>>;
