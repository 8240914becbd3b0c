using SafeCities.Modules.Shared.Text;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;
using SafeCities.Modules.Alerts.Domain;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Modules.Alerts.CitizenReports;

internal static class WitnessStatements
{
    public const string TimelineKind = "WitnessStatement";

    /// <summary>The incident's timeline line for a report that became its witness statement (never the reporter's contact).</summary>
    public static TimelineEntry TimelineEntry(CitizenReport report, Incident incident, DateTimeOffset now)
    {
        var meters = GeoMath.DistanceMeters(incident.Latitude, incident.Longitude, report.Latitude, report.Longitude);
        var photos = report.Photos.Count == 0 ? "" : ", " + Plural.Count(report.Photos.Count, "photo");
        return new TimelineEntry
        {
            Id = Guid.CreateVersion7(), IncidentId = incident.Id, At = now, Module = "Alerts", Kind = TimelineKind,
            Text = $"Witness statement ({CitizenReportCategories.Name(report.Category)}, {meters:0} m away{photos}): {report.Description}",
        };
    }

    /// <summary>Reports with their photo ids and their cluster sizes, as staff see them.</summary>
    public static async Task<List<CitizenReportDto>> ToDtosAsync(AlertsDbContext db, IQueryable<CitizenReport> reports, CancellationToken ct)
    {
        var list = await reports.AsNoTracking().Include(r => r.Photos.OrderBy(p => p.Id)).ToListAsync(ct);
        var clusters = list.Select(r => r.ClusterId).Distinct().ToList();
        var sizes = await db.CitizenReports.Where(r => clusters.Contains(r.ClusterId)).GroupBy(r => r.ClusterId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        return list.Select(r => r.ToDto(sizes.GetValueOrDefault(r.ClusterId, 1))).ToList();
    }
}

internal sealed class ListWitnessStatementsQueryHandler(AlertsDbContext db) : IQueryHandler<ListWitnessStatementsQuery, IReadOnlyList<CitizenReportDto>>
{
    public async ValueTask<IReadOnlyList<CitizenReportDto>> Handle(ListWitnessStatementsQuery query, CancellationToken cancellationToken) =>
        await WitnessStatements.ToDtosAsync(db, db.CitizenReports.Where(r => r.IncidentId == query.IncidentId && r.Status == CitizenReportStatus.Witness)
            .OrderBy(r => r.OccurredAt).ThenBy(r => r.Id), cancellationToken);
}
