using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Modules.Alerts.Features;

internal sealed class SearchIncidentHistoryQueryValidator : AbstractValidator<SearchIncidentHistoryQuery>
{
    /// <summary>The most rows one export holds (the same filter, narrower, gives the rest).</summary>
    public const int MaxPageSize = 10_000;

    public SearchIncidentHistoryQueryValidator()
    {
        RuleFor(q => q.To).GreaterThan(q => q.From).When(q => q.From is not null && q.To is not null).WithMessage("'To' must be after 'From'.");
        RuleFor(q => q.Kind).Must(k => k is null || IncidentKinds.All.Contains(k))
            .WithMessage($"'Kind' must be one of: {string.Join(", ", IncidentKinds.All)}.");
        RuleFor(q => q.Status).Must(s => s is null || IncidentStatus.All.Contains(s))
            .WithMessage($"'Status' must be one of: {string.Join(", ", IncidentStatus.All)}.");
        RuleFor(q => q.Outcome).Must(o => o is null || IncidentOutcomes.AllCodes.Contains(o))
            .WithMessage($"'Outcome' must be one of: {string.Join(", ", IncidentOutcomes.AllCodes)}.");
        RuleFor(q => q.District).MaximumLength(40);
        RuleFor(q => q.Latitude).InclusiveBetween(-90, 90);
        RuleFor(q => q.Longitude).InclusiveBetween(-180, 180);
        RuleFor(q => q.RadiusMeters).InclusiveBetween(1, 100_000);
        RuleFor(q => q).Must(q => q.Latitude is null == q.Longitude is null && (q.RadiusMeters is null || q.Latitude is not null))
            .WithName("Place").WithMessage("A place needs both 'Latitude' and 'Longitude' (and 'RadiusMeters' needs a place).");
        RuleFor(q => q.South).InclusiveBetween(-90, 90);
        RuleFor(q => q.North).InclusiveBetween(-90, 90).GreaterThanOrEqualTo(q => q.South).When(q => q.South is not null);
        RuleFor(q => q.West).InclusiveBetween(-180, 180);
        RuleFor(q => q.East).InclusiveBetween(-180, 180).GreaterThanOrEqualTo(q => q.West).When(q => q.West is not null);
        RuleFor(q => q).Must(q => new[] { q.South, q.West, q.North, q.East }.Count(v => v is null) is 0 or 4)
            .WithName("Bounds").WithMessage("A map area needs all of 'South', 'West', 'North' and 'East'.");
        RuleFor(q => q.Page).InclusiveBetween(1, 100_000);
        RuleFor(q => q.PageSize).InclusiveBetween(1, MaxPageSize);
    }
}

/// <summary>The incident history (the board shows only what is being worked): the same filter answers the page and both exports.</summary>
internal sealed class SearchIncidentHistoryQueryHandler(AlertsDbContext db) : IQueryHandler<SearchIncidentHistoryQuery, IncidentHistoryPageDto>
{
    /// <summary>A place without a radius: the incidents within 500 m.</summary>
    public const double DefaultRadiusMeters = 500;

    public async ValueTask<IncidentHistoryPageDto> Handle(SearchIncidentHistoryQuery q, CancellationToken cancellationToken)
    {
        var incidents = db.Incidents.AsNoTracking().AsQueryable();
        if (q.From is { } from)
            incidents = incidents.Where(i => i.OpenedAt >= from);
        if (q.To is { } to)
            incidents = incidents.Where(i => i.OpenedAt < to);
        if (q.Kind is not null)
            incidents = incidents.Where(i => i.Kind == q.Kind);
        if (q.Status is not null)
            incidents = incidents.Where(i => i.Status == q.Status);
        if (q.Outcome is not null)
            incidents = incidents.Where(i => i.Outcome == q.Outcome);
        if (q.District is not null)
            incidents = incidents.Where(i => i.District == q.District);
        if (q is { Latitude: { } lat, Longitude: { } lon })
        {
            var here = GeoMath.Point(lat, lon);
            var radius = q.RadiusMeters ?? DefaultRadiusMeters;
            incidents = incidents.Where(i => i.Location.IsWithinDistance(here, radius));
        }
        if (q is { South: { } s, West: { } w, North: { } n, East: { } e })
            incidents = incidents.Where(i => i.Latitude >= s && i.Latitude <= n && i.Longitude >= w && i.Longitude <= e);
        var total = await incidents.CountAsync(cancellationToken);
        var page = await incidents.OrderByDescending(i => i.OpenedAt).ThenByDescending(i => i.Id)
            .Skip((q.Page - 1) * q.PageSize).Take(q.PageSize).ToListAsync(cancellationToken);
        return new IncidentHistoryPageDto(page.Select(i => i.ToDto()).ToList(), total, q.Page, q.PageSize);
    }
}
