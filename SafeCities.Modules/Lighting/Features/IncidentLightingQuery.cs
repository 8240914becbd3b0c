using SafeCities.Modules.Lighting.Contracts;
using SafeCities.Modules.Lighting.Data;
using SafeCities.Modules.Lighting.Domain;

namespace SafeCities.Modules.Lighting.Features;

internal sealed class GetIncidentLightingQueryHandler(LightingDbContext db) : IQueryHandler<GetIncidentLightingQuery, IncidentLightingDto?>
{
    public async ValueTask<IncidentLightingDto?> Handle(GetIncidentLightingQuery query, CancellationToken cancellationToken)
    {
        var decision = await db.IncidentLighting.AsNoTracking().SingleOrDefaultAsync(i => i.IncidentId == query.IncidentId, cancellationToken);
        if (decision is null)
            return null;
        var lights = await db.Raises.AsNoTracking().Where(r => r.IncidentId == query.IncidentId)
            .Join(db.Streetlights, r => r.LightId, l => l.Id, (r, l) => new { r.LightId, l.Name, l.Latitude, l.Longitude, r.Level, r.Status })
            .OrderBy(x => x.Name).ToListAsync(cancellationToken);
        return new IncidentLightingDto(decision.IncidentId, decision.Outcome, decision.Summary, decision.RadiusMeters, decision.LevelPercent,
            decision.DecidedAt, decision.RestoreDueAt, decision.RestoredAt,
            lights.Select(x => new IncidentLightDto(x.LightId, x.Name, x.Latitude, x.Longitude, x.Level, x.Status switch
            {
                RaiseStatuses.Raised => "raised",
                RaiseStatuses.Failed => "failed",
                RaiseStatuses.Abandoned => "restore-failed",
                _ => "restored",
            })).ToList());
    }
}
