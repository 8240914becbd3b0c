using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;

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
    public async ValueTask<IReadOnlyList<IncidentDto>> Handle(ListIncidentsQuery query, CancellationToken cancellationToken)
    {
        var incidents = await db.Incidents.AsNoTracking()
            .Where(i => query.Status == null || i.Status == query.Status)
            .OrderByDescending(i => i.LastActivityAt).Take(query.Limit)
            .ToListAsync(cancellationToken);
        return incidents.Select(i => i.ToDto()).ToList();
    }
}

internal sealed class GetBoardQueryHandler(AlertsDbContext db, IOptionsMonitor<AlertsOptions> options) : IQueryHandler<GetBoardQuery, BoardDto>
{
    public async ValueTask<BoardDto> Handle(GetBoardQuery query, CancellationToken cancellationToken)
    {
        var limit = Math.Max(1, options.CurrentValue.BoardLimit);
        var counts = await db.Incidents.Where(i => i.Status != IncidentStatus.Closed).GroupBy(i => i.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Status, g => g.Count, cancellationToken);
        var open = await MostRecentAsync(IncidentStatus.Open);
        var acknowledged = await MostRecentAsync(IncidentStatus.Acknowledged);
        return new BoardDto([.. open.Concat(acknowledged).OrderByDescending(i => i.LastActivityAt).Select(i => i.ToDto())],
            counts.GetValueOrDefault(IncidentStatus.Open), counts.GetValueOrDefault(IncidentStatus.Acknowledged), limit);

        Task<List<Domain.Incident>> MostRecentAsync(string status) => db.Incidents.AsNoTracking().Where(i => i.Status == status)
            .OrderByDescending(i => i.LastActivityAt).Take(limit).ToListAsync(cancellationToken);
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
