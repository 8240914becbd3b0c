using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Modules.Alerts.Features;

internal sealed class ListOpenIncidentsNearQueryValidator : AbstractValidator<ListOpenIncidentsNearQuery>
{
    public ListOpenIncidentsNearQueryValidator()
    {
        RuleFor(q => q.Latitude).InclusiveBetween(-90, 90);
        RuleFor(q => q.Longitude).InclusiveBetween(-180, 180);
        RuleFor(q => q.WithinMeters).InclusiveBetween(1, 100_000);
        RuleFor(q => q.Kinds).NotEmpty().Must(k => k.Count <= 20).WithMessage("At most 20 kinds.");
        RuleFor(q => q.Limit).InclusiveBetween(1, 500);
    }
}

/// <summary>
/// The incidents' location index finds the candidates (with 1 % slack for the spheroid); the great-circle distance every module uses
/// decides, so an incident on the edge is in or out exactly as the caller computes it.
/// </summary>
internal sealed class ListOpenIncidentsNearQueryHandler(AlertsDbContext db) : IQueryHandler<ListOpenIncidentsNearQuery, IReadOnlyList<IncidentDto>>
{
    public async ValueTask<IReadOnlyList<IncidentDto>> Handle(ListOpenIncidentsNearQuery q, CancellationToken cancellationToken)
    {
        var here = GeoMath.Point(q.Latitude, q.Longitude);
        var kinds = q.Kinds.ToList();
        var candidates = await db.Incidents.AsNoTracking()
            .Where(i => kinds.Contains(i.Kind) && i.Status != IncidentStatus.Closed && i.OpenedAt >= q.OpenedFrom && i.OpenedAt <= q.OpenedTo
                        && (q.ExceptIncidentId == null || i.Id != q.ExceptIncidentId)
                        && i.Location.IsWithinDistance(here, q.WithinMeters * 1.01))
            .OrderByDescending(i => i.OpenedAt).ThenByDescending(i => i.LastActivityAt).ThenByDescending(i => i.Id)
            .ToListAsync(cancellationToken);
        return candidates.Where(i => GeoMath.DistanceMeters(q.Latitude, q.Longitude, i.Latitude, i.Longitude) <= q.WithinMeters)
            .Take(q.Limit).Select(i => i.ToDto()).ToList();
    }
}
