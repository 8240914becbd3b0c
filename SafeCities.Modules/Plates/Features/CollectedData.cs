using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Shared.Reporting;

namespace SafeCities.Modules.Plates.Features;

/// <summary>Counts of what is still stored: reads already deleted by retention are in the report's deletion log, not here.</summary>
internal sealed class GetPlatesCollectedDataQueryHandler(PlatesDbContext db, IOptions<PlatesOptions> options)
    : IQueryHandler<GetPlatesCollectedDataQuery, IReadOnlyList<CollectedDataDto>>
{
    public async ValueTask<IReadOnlyList<CollectedDataDto>> Handle(GetPlatesCollectedDataQuery q, CancellationToken ct)
    {
        var reads = await db.Reads.LongCountAsync(r => r.CapturedAt >= q.From && r.CapturedAt < q.To, ct);
        var hits = await db.HotlistHits.LongCountAsync(h => h.CapturedAt >= q.From && h.CapturedAt < q.To, ct);
        var days = options.Value.ReadRetentionDays;
        return
        [
            new(ReportTechnologies.PlateReaders, "Plate reads (still stored)", reads,
                $"{days} days, then deleted; reads linked to an incident or a hit are kept as evidence until released (Plates:ReadRetentionDays)."),
            new(ReportTechnologies.PlateReaders, "Hotlist hits (still stored)", hits,
                $"Kept as evidence until released; a released hit is deleted once older than {days} days."),
        ];
    }
}
