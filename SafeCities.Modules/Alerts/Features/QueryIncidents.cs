using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;
using SafeCities.Modules.Alerts.Domain;

namespace SafeCities.Modules.Alerts.Features;

internal sealed class ListIncidentsQueryValidator : AbstractValidator<ListIncidentsQuery>
{
    public ListIncidentsQueryValidator()
    {
        RuleFor(q => q.Status).Must(s => s is null || IncidentStatus.All.Contains(s))
            .WithMessage($"'Status' must be one of: {string.Join(", ", IncidentStatus.All)}.");
        RuleFor(q => q.Limit).InclusiveBetween(1, 1000);
    }
}

internal sealed class ListIncidentsQueryHandler(AlertsDbContext db) : IQueryHandler<ListIncidentsQuery, IReadOnlyList<IncidentDto>>
{
    public async ValueTask<IReadOnlyList<IncidentDto>> Handle(ListIncidentsQuery query, CancellationToken cancellationToken) =>
        (await MostRecentlyActiveAsync(db, query.Status, query.Limit, cancellationToken)).Select(i => i.ToDto()).ToList();

    /// <summary>The <paramref name="limit"/> most recently active incidents of a status (null: any), the most recent first.</summary>
    public static Task<List<Incident>> MostRecentlyActiveAsync(AlertsDbContext db, string? status, int limit, CancellationToken ct) =>
        db.Incidents.AsNoTracking().Where(i => status == null || i.Status == status)
            .OrderByDescending(i => i.LastActivityAt).Take(limit).ToListAsync(ct);
}

internal sealed class GetBoardQueryHandler(AlertsDbContext db, IOptionsMonitor<AlertsOptions> options) : IQueryHandler<GetBoardQuery, BoardDto>
{
    public async ValueTask<BoardDto> Handle(GetBoardQuery query, CancellationToken cancellationToken)
    {
        var limit = Math.Max(1, options.CurrentValue.BoardLimit);
        var counts = await db.Incidents.Where(i => i.Status != IncidentStatus.Closed).GroupBy(i => i.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Status, g => g.Count, cancellationToken);
        var open = await ListIncidentsQueryHandler.MostRecentlyActiveAsync(db, IncidentStatus.Open, limit, cancellationToken);
        var acknowledged = await ListIncidentsQueryHandler.MostRecentlyActiveAsync(db, IncidentStatus.Acknowledged, limit, cancellationToken);
        return new BoardDto([.. open.Concat(acknowledged).OrderByDescending(i => i.LastActivityAt).Select(i => i.ToDto())],
            counts.GetValueOrDefault(IncidentStatus.Open), counts.GetValueOrDefault(IncidentStatus.Acknowledged), limit);
    }
}

internal sealed class GetIncidentQueryHandler(AlertsDbContext db) : IQueryHandler<GetIncidentQuery, IncidentDetailDto?>
{
    public async ValueTask<IncidentDetailDto?> Handle(GetIncidentQuery query, CancellationToken cancellationToken)
    {
        var incident = await db.Incidents.AsNoTracking().SingleOrDefaultAsync(i => i.Id == query.IncidentId, cancellationToken);
        if (incident is null)
            return null;
        if (!query.WithTimeline)
            return new IncidentDetailDto(incident.ToDto(), []);
        var timeline = await db.Timeline.AsNoTracking().Where(t => t.IncidentId == query.IncidentId)
            .OrderBy(t => t.At).ThenBy(t => t.Id).ToListAsync(cancellationToken);
        return new IncidentDetailDto(incident.ToDto(), timeline.Select(t => t.ToDto()).ToList());
    }
}

internal sealed class GetIncidentForDetectionQueryHandler(AlertsDbContext db) : IQueryHandler<GetIncidentForDetectionQuery, Guid?>
{
    public async ValueTask<Guid?> Handle(GetIncidentForDetectionQuery query, CancellationToken cancellationToken) =>
        await db.Detections.Where(d => d.DetectionId == query.DetectionId).Select(d => (Guid?)d.IncidentId).SingleOrDefaultAsync(cancellationToken);
}
