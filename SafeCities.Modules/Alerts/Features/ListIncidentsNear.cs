using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;

namespace SafeCities.Modules.Alerts.Features;

internal sealed class ListIncidentsNearQueryValidator : AbstractValidator<ListIncidentsNearQuery>
{
    public const int MaxItems = 1000;

    public ListIncidentsNearQueryValidator()
    {
        RuleFor(q => q.Places).Must(p => p is null || p.Count <= MaxItems).WithMessage($"At most {MaxItems} places.");
        RuleForEach(q => q.Places).ChildRules(p =>
        {
            p.RuleFor(x => x.Latitude).InclusiveBetween(-90, 90);
            p.RuleFor(x => x.Longitude).InclusiveBetween(-180, 180);
        });
        RuleFor(q => q.IncidentIds).Must(i => i is null || i.Count <= MaxItems).WithMessage($"At most {MaxItems} incident ids.");
        RuleFor(q => q.RadiusMeters).InclusiveBetween(1, 50_000);
        RuleFor(q => q.WindowMinutes).InclusiveBetween(0, 24 * 60);
        RuleFor(q => q.Limit).InclusiveBetween(1, 1000);
    }
}

/// <summary>
/// Incidents near places and times (each place is one index probe of the incidents' location index) and incidents by id, for another
/// module's view of a person or vehicle. Which places each incident was near, and how far, comes with it.
/// </summary>
internal sealed class ListIncidentsNearQueryHandler(AlertsDbContext db) : IQueryHandler<ListIncidentsNearQuery, IReadOnlyList<IncidentNearDto>>
{
    internal sealed record PlaceMatch(Guid IncidentId, int Place, double Meters);

    public async ValueTask<IReadOnlyList<IncidentNearDto>> Handle(ListIncidentsNearQuery q, CancellationToken ct)
    {
        var places = q.Places ?? [];
        var matches = places.Count == 0 ? [] : await db.Database.SqlQuery<PlaceMatch>($"""
            SELECT i.id AS incident_id, (p.n - 1)::int AS place,
                   ST_Distance(i.location, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)::geography) AS meters
            FROM unnest({places.Select(p => p.Latitude).ToArray()}, {places.Select(p => p.Longitude).ToArray()},
                        {places.Select(p => p.At.ToUniversalTime()).ToArray()}) WITH ORDINALITY AS p(lat, lon, at, n)
            JOIN alerts.incidents i
              ON ST_DWithin(i.location, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)::geography, {(double)q.RadiusMeters})
             AND i.opened_at <= p.at + {TimeSpan.FromMinutes(q.WindowMinutes)} AND i.last_activity_at >= p.at - {TimeSpan.FromMinutes(q.WindowMinutes)}
            """).ToListAsync(ct);
        var ids = matches.Select(m => m.IncidentId).Concat(q.IncidentIds ?? []).Distinct().ToList();
        if (ids.Count == 0)
            return [];
        var incidents = await db.Incidents.AsNoTracking().Where(i => ids.Contains(i.Id))
            .OrderByDescending(i => i.OpenedAt).ThenByDescending(i => i.Id).Take(q.Limit).ToListAsync(ct);
        var near = matches.ToLookup(m => m.IncidentId);
        return incidents.Select(i => new IncidentNearDto(i.ToDto(),
            near[i.Id].OrderBy(m => m.Place).Select(m => new IncidentPlaceMatchDto(m.Place, m.Meters)).ToList())).ToList();
    }
}
