namespace SafeCities.Modules.Alerts.Contracts;

/// <summary>A place and a time (where a vehicle was read, where a call for service came from…).</summary>
public sealed record IncidentPlaceDto(double Latitude, double Longitude, DateTimeOffset At);

/// <summary>
/// Incidents within <paramref name="RadiusMeters"/> of any of <paramref name="Places"/> whose time (from when they opened to their last
/// activity) comes within ±<paramref name="WindowMinutes"/> of that place's time, together with the incidents named in
/// <paramref name="IncidentIds"/>; newest first, at most <paramref name="Limit"/>. Either list may be empty.
/// </summary>
public sealed record ListIncidentsNearQuery(IReadOnlyList<IncidentPlaceDto>? Places = null, IReadOnlyList<Guid>? IncidentIds = null,
    int RadiusMeters = 500, int WindowMinutes = 30, int Limit = 200) : IQuery<IReadOnlyList<IncidentNearDto>>;

/// <summary>One of the places an incident was near, by its index in the query's <c>Places</c>, and how far from it.</summary>
public sealed record IncidentPlaceMatchDto(int Place, double DistanceMeters);

/// <param name="Near">The places it was near (empty when it was found only by its id).</param>
public sealed record IncidentNearDto(IncidentDto Incident, IReadOnlyList<IncidentPlaceMatchDto> Near);
