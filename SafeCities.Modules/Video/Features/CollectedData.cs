using SafeCities.Modules.Shared.Reporting;
using SafeCities.Modules.Video.Contracts;
using SafeCities.Modules.Video.Data;

namespace SafeCities.Modules.Video.Features;

internal sealed class GetVideoCollectedDataQueryHandler(VideoDbContext db) : IQueryHandler<GetVideoCollectedDataQuery, IReadOnlyList<CollectedDataDto>>
{
    public async ValueTask<IReadOnlyList<CollectedDataDto>> Handle(GetVideoCollectedDataQuery q, CancellationToken ct)
    {
        var clips = await db.EvidenceClips.LongCountAsync(c => c.RecordedFrom >= q.From && c.RecordedFrom < q.To, ct);
        return [new(ReportTechnologies.Cameras, "Evidence clips", clips, "Saved only for an incident and kept with it as evidence: no retention job deletes clips.")];
    }
}
