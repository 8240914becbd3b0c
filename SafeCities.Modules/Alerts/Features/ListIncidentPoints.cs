using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;

namespace SafeCities.Modules.Alerts.Features;

internal sealed class ListIncidentPointsQueryValidator : AbstractValidator<ListIncidentPointsQuery>
{
    public ListIncidentPointsQueryValidator()
    {
        RuleFor(q => q.Kind).Must(k => IncidentKinds.All.Contains(k)).WithMessage($"'Kind' must be one of: {string.Join(", ", IncidentKinds.All)}.");
        RuleFor(q => q.To).GreaterThan(q => q.From).WithMessage("'To' must be after 'From'.");
        RuleFor(q => q).Must(q => q.To - q.From <= TimeSpan.FromDays(3660)).WithName("To").WithMessage("At most ten years at once.");
    }
}

internal sealed class ListIncidentPointsQueryHandler(AlertsDbContext db) : IQueryHandler<ListIncidentPointsQuery, IReadOnlyList<IncidentPointDto>>
{
    public async ValueTask<IReadOnlyList<IncidentPointDto>> Handle(ListIncidentPointsQuery q, CancellationToken cancellationToken)
    {
        var points = await db.Incidents.AsNoTracking()
            .Where(i => i.Kind == q.Kind && i.OpenedAt >= q.From && i.OpenedAt < q.To)
            .OrderByDescending(i => i.OpenedAt).Take(ListIncidentPointsQuery.MaxPoints)
            .Select(i => new IncidentPointDto(i.OpenedAt, i.Latitude, i.Longitude))
            .ToListAsync(cancellationToken);
        points.Reverse();
        return points;
    }
}
