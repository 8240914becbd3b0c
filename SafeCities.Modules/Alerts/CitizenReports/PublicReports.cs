using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;

namespace SafeCities.Modules.Alerts.CitizenReports;

/// <summary>
/// What the public sees of reports (Open311 GET): category, status and times, and the place rounded to about 100 m. Never the contact, never the
/// description (a witness's words are evidence and may name people), never the exact place (see docs/adr/0033-citizen-reports.md).
/// </summary>
internal static class PublicReports
{
    public static PublicCitizenReportDto ToPublic(CitizenReport r) => new(r.Id, r.Category,
        r.Status == CitizenReportStatus.Dismissed ? "closed" : "open", r.ReceivedAt, r.UpdatedAt, Math.Round(r.Latitude, 3), Math.Round(r.Longitude, 3));
}

internal sealed class GetPublicCitizenReportQueryHandler(AlertsDbContext db) : IQueryHandler<GetPublicCitizenReportQuery, PublicCitizenReportDto?>
{
    public async ValueTask<PublicCitizenReportDto?> Handle(GetPublicCitizenReportQuery query, CancellationToken cancellationToken) =>
        await db.CitizenReports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == query.Id, cancellationToken) is { } r ? PublicReports.ToPublic(r) : null;
}

internal sealed class ListPublicCitizenReportsQueryValidator : AbstractValidator<ListPublicCitizenReportsQuery>
{
    public ListPublicCitizenReportsQueryValidator()
    {
        RuleFor(q => q.Ids).Must(i => i is null || i.Count <= 100).WithMessage("At most 100 service_request_id values.");
        RuleFor(q => q.Category).Must(c => c is null || CitizenReportCategories.Find(c) is not null).WithMessage("Unknown service_code.");
        RuleFor(q => q.Status).Must(s => s is null or "open" or "closed").WithMessage("status is open or closed.");
        RuleFor(q => q).Must(q => q.From is null || q.To is null || q.From <= q.To).WithMessage("start_date must not be after end_date.");
        RuleFor(q => q.Limit).InclusiveBetween(1, 1000);
    }
}

internal sealed class ListPublicCitizenReportsQueryHandler(AlertsDbContext db, TimeProvider clock)
    : IQueryHandler<ListPublicCitizenReportsQuery, IReadOnlyList<PublicCitizenReportDto>>
{
    public async ValueTask<IReadOnlyList<PublicCitizenReportDto>> Handle(ListPublicCitizenReportsQuery q, CancellationToken cancellationToken)
    {
        var reports = db.CitizenReports.AsNoTracking();
        if (q.Ids is { Count: > 0 } ids)
            reports = reports.Where(r => ids.Contains(r.Id));
        else
        {
            // GeoReport v2: without ids or dates, the last 90 days.
            var from = q.From ?? (q.To ?? clock.GetUtcNow()).AddDays(-90);
            reports = reports.Where(r => r.ReceivedAt >= from);
            if (q.To is { } to)
                reports = reports.Where(r => r.ReceivedAt <= to);
        }
        if (q.Category is not null)
            reports = reports.Where(r => r.Category == q.Category);
        if (q.Status == "closed")
            reports = reports.Where(r => r.Status == CitizenReportStatus.Dismissed);
        else if (q.Status == "open")
            reports = reports.Where(r => r.Status != CitizenReportStatus.Dismissed);
        var list = await reports.OrderByDescending(r => r.ReceivedAt).ThenByDescending(r => r.Id).Take(q.Limit).ToListAsync(cancellationToken);
        return list.Select(PublicReports.ToPublic).ToList();
    }
}
