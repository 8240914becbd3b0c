using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Domain;

namespace SafeCities.Modules.Plates.Features;

internal sealed class GetIncidentPlateReadsQueryValidator : AbstractValidator<GetIncidentPlateReadsQuery>
{
    public GetIncidentPlateReadsQueryValidator()
    {
        RuleFor(q => q.IncidentId).NotEmpty();
        RuleFor(q => q.Limit).InclusiveBetween(1, 5000);
    }
}

/// <summary>The reads tied to an incident, newest first, with where each was read, how far that is from the incident and whether the plate is
/// listed (has a hit not rejected).</summary>
internal sealed class GetIncidentPlateReadsQueryHandler(PlatesDbContext db) : IQueryHandler<GetIncidentPlateReadsQuery, IReadOnlyList<IncidentPlateReadDto>>
{
    public async ValueTask<IReadOnlyList<IncidentPlateReadDto>> Handle(GetIncidentPlateReadsQuery query, CancellationToken cancellationToken)
    {
        var incident = await db.Reactions.AsNoTracking().SingleOrDefaultAsync(r => r.IncidentId == query.IncidentId, cancellationToken);
        if (incident is null)
            return [];
        var rows = await (
                from link in db.IncidentReads.Where(l => l.IncidentId == query.IncidentId)
                join read in db.Reads on link.PlateReadId equals read.Id
                join reader in db.Readers on read.ReaderId equals reader.Id into readers
                from reader in readers.DefaultIfEmpty()
                orderby read.CapturedAt descending, read.Id descending
                select new
                {
                    read, ReaderName = reader == null ? "unknown reader" : reader.Name,
                    Image = db.Images.Where(i => i.ReaderId == read.ReaderId && i.ImageRef == read.ImageRef).Select(i => i.ImageRef).FirstOrDefault(),
                })
            .Take(query.Limit).AsNoTracking().ToListAsync(cancellationToken);
        var plates = rows.Select(x => x.read.Plate).Distinct().ToList();
        var listed = (await db.HotlistHits.Where(h => plates.Contains(h.ReadPlate) && h.Decision != HitDecisions.Rejected)
            .Select(h => h.ReadPlate).Distinct().ToListAsync(cancellationToken)).ToHashSet();
        return rows.Select(x => new IncidentPlateReadDto(x.read.Id, x.read.Plate, x.read.Region, x.read.CapturedAt, x.read.Confidence, x.read.Make,
                x.read.Model, x.read.Color, x.read.ReaderId, x.ReaderName, x.read.Latitude, x.read.Longitude, incident.DistanceTo(x.read.Latitude, x.read.Longitude),
                x.Image is null ? null : PlateImage.UrlOf(x.read.ReaderId, x.Image), listed.Contains(x.read.Plate)))
            .ToList();
    }
}
