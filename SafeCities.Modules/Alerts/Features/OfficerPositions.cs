using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;
using SafeCities.Modules.Alerts.Domain;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Modules.Alerts.Features;

/// <summary>The officer stopped sharing (off duty, or switched it off): their position is deleted at once.</summary>
internal sealed record StopSharingPositionCommand(string UserName) : ICommand<bool>;

/// <summary>Positions shared within the freshness window, for the command board's map.</summary>
internal sealed record ListOfficerPositionsQuery : IQuery<IReadOnlyList<OfficerPositionDto>>;

internal sealed class ReportOfficerPositionCommandValidator : AbstractValidator<ReportOfficerPositionCommand>
{
    public ReportOfficerPositionCommandValidator()
    {
        RuleFor(c => c.UserName).NotEmpty().MaximumLength(256);
        RuleFor(c => c.Latitude).NotNull().InclusiveBetween(-90, 90);
        RuleFor(c => c.Longitude).NotNull().InclusiveBetween(-180, 180);
        RuleFor(c => c.AccuracyMeters).InclusiveBetween(0, 10_000);
    }
}

internal sealed class ReportOfficerPositionCommandHandler(AlertsDbContext db, TimeProvider clock) : ICommandHandler<ReportOfficerPositionCommand, OfficerPositionDto>
{
    public async ValueTask<OfficerPositionDto> Handle(ReportOfficerPositionCommand c, CancellationToken ct)
    {
        var (user, lat, lon, now) = (c.UserName.Trim().ToLowerInvariant(), c.Latitude!.Value, c.Longitude!.Value, clock.GetUtcNow());
        // One row per officer, written in one statement so that two updates from the same phone never collide.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO alerts.officer_positions (user_name, latitude, longitude, location, accuracy_meters, reported_at)
            VALUES ({user}, {lat}, {lon}, ST_SetSRID(ST_MakePoint({lon}, {lat}), 4326)::geography, {c.AccuracyMeters}, {now})
            ON CONFLICT (user_name) DO UPDATE SET latitude = excluded.latitude, longitude = excluded.longitude, location = excluded.location,
                accuracy_meters = excluded.accuracy_meters, reported_at = excluded.reported_at
            """, ct);
        return new OfficerPositionDto(user, lat, lon, c.AccuracyMeters, now);
    }
}

internal sealed class StopSharingPositionCommandHandler(AlertsDbContext db) : ICommandHandler<StopSharingPositionCommand, bool>
{
    public async ValueTask<bool> Handle(StopSharingPositionCommand c, CancellationToken ct)
    {
        var user = c.UserName.Trim().ToLowerInvariant();
        return await db.OfficerPositions.Where(p => p.UserName == user).ExecuteDeleteAsync(ct) > 0;
    }
}

internal sealed class ListOfficerPositionsQueryHandler(AlertsDbContext db, OfficerLocator locator) : IQueryHandler<ListOfficerPositionsQuery, IReadOnlyList<OfficerPositionDto>>
{
    public async ValueTask<IReadOnlyList<OfficerPositionDto>> Handle(ListOfficerPositionsQuery q, CancellationToken ct)
    {
        var since = locator.FreshSince();
        return await db.OfficerPositions.AsNoTracking().Where(p => p.ReportedAt >= since).OrderBy(p => p.UserName)
            .Select(p => new OfficerPositionDto(p.UserName, p.Latitude, p.Longitude, p.AccuracyMeters, p.ReportedAt)).ToListAsync(ct);
    }
}

internal sealed record NearbyOfficer(string UserName, double DistanceMeters);

/// <summary>Who is near a place now: officers whose shared position is fresh and within the configured radius, nearest first.</summary>
internal sealed class OfficerLocator(AlertsDbContext db, TimeProvider clock, IOptions<HitAlertOptions> options)
{
    public double RadiusMeters => options.Value.NearbyOfficerRadiusMeters;

    public DateTimeOffset FreshSince() => clock.GetUtcNow().AddMinutes(-options.Value.PositionMaxAgeMinutes);

    public async Task<IReadOnlyList<NearbyOfficer>> NearAsync(double latitude, double longitude, CancellationToken ct)
    {
        var here = GeoMath.Point(latitude, longitude);
        var since = FreshSince();
        var near = await db.OfficerPositions.AsNoTracking().Where(p => p.ReportedAt >= since && p.Location.IsWithinDistance(here, RadiusMeters))
            .Select(p => new { p.UserName, p.Latitude, p.Longitude }).ToListAsync(ct);
        return near.Select(p => new NearbyOfficer(p.UserName, GeoMath.DistanceMeters(latitude, longitude, p.Latitude, p.Longitude)))
            .OrderBy(o => o.DistanceMeters).ToList();
    }
}

/// <summary>Stale positions are not kept: an officer who stopped sending (phone off, end of shift) is forgotten.</summary>
internal sealed class PurgeStaleOfficerPositionsJob(AlertsDbContext db, OfficerLocator locator)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var since = locator.FreshSince();
        return await db.OfficerPositions.Where(p => p.ReportedAt < since).ExecuteDeleteAsync(ct);
    }
}
