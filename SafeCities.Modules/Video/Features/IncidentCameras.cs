using SafeCities.Modules.Video.Contracts;
using SafeCities.Modules.Video.Data;

namespace SafeCities.Modules.Video.Features;

internal sealed class GetIncidentCamerasQueryValidator : AbstractValidator<GetIncidentCamerasQuery>
{
    public GetIncidentCamerasQueryValidator() => RuleFor(q => q.IncidentId).NotEmpty();
}

internal sealed class GetIncidentCameraReactionQueryValidator : AbstractValidator<GetIncidentCameraReactionQuery>
{
    public GetIncidentCameraReactionQueryValidator() => RuleFor(q => q.IncidentId).NotEmpty();
}

internal sealed class GetIncidentCameraReactionQueryHandler(VideoDbContext db) : IQueryHandler<GetIncidentCameraReactionQuery, IncidentCameraReactionDto?>
{
    public async ValueTask<IncidentCameraReactionDto?> Handle(GetIncidentCameraReactionQuery query, CancellationToken cancellationToken) =>
        await db.IncidentReactions.AsNoTracking().Where(r => r.IncidentId == query.IncidentId)
            .Select(r => new IncidentCameraReactionDto(r.ReactedAt, r.PtzTurned, r.FixedCovering, r.Summary)).SingleOrDefaultAsync(cancellationToken);
}

internal sealed class GetIncidentCamerasQueryHandler(VideoDbContext db) : IQueryHandler<GetIncidentCamerasQuery, IReadOnlyList<IncidentCameraDto>>
{
    public async ValueTask<IReadOnlyList<IncidentCameraDto>> Handle(GetIncidentCamerasQuery query, CancellationToken cancellationToken) =>
        await (from ic in db.IncidentCameras.AsNoTracking()
               join c in db.Cameras.AsNoTracking() on ic.CameraId equals c.Id
               where ic.IncidentId == query.IncidentId
               orderby ic.DistanceMeters, c.Name
               select new IncidentCameraDto(c.Id, c.Name, c.Type, c.Latitude, c.Longitude, c.HeadingDegrees, c.FieldOfViewDegrees, c.RangeMeters,
                   c.PanMinDegrees, c.PanMaxDegrees, ic.BearingDegrees, ic.TiltDegrees, ic.DistanceMeters, c.StreamUrl, ic.BookmarkFrom,
                   ic.BookmarkTo, ic.Status, ic.Failure))
            .ToListAsync(cancellationToken);
}
