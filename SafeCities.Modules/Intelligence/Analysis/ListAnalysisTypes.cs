using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Intelligence.Data;

namespace SafeCities.Modules.Intelligence.Analysis;

/// <summary>The incident kinds and the call types on record, for the analysis pages' type pickers.</summary>
internal sealed class ListAnalysisTypesQueryHandler(IntelligenceDbContext db, ISender sender) : IQueryHandler<ListAnalysisTypesQuery, IReadOnlyList<AnalysisTypeDto>>
{
    public async ValueTask<IReadOnlyList<AnalysisTypeDto>> Handle(ListAnalysisTypesQuery query, CancellationToken ct)
    {
        var types = new List<AnalysisTypeDto>();
        foreach (var kind in IncidentKinds.All)
        {
            var page = await sender.Send(new SearchIncidentHistoryQuery(Kind: kind, PageSize: 1), ct);
            types.Add(new AnalysisTypeDto(kind, AnalysisSources.Label(kind), page.Total));
        }
        // the types of the latest 100,000 located calls (older types that no longer occur are not offered)
        var calls = await db.Records.AsNoTracking().Where(r => r.Kind == RecordKinds.CallForService && r.Latitude != null)
            .OrderByDescending(r => r.StartedAt).Take(100_000).Select(r => r.Details).ToListAsync(ct);
        types.AddRange(calls.GroupBy(d => (d.GetValueOrDefault("callType") ?? "").Trim().ToLowerInvariant())
            .OrderByDescending(g => g.Count()).Take(50)
            .Select(g => new AnalysisTypeDto(AnalysisSources.CallType(g.Key), AnalysisSources.Label(AnalysisSources.CallType(g.Key)), g.Count())));
        return types;
    }
}
