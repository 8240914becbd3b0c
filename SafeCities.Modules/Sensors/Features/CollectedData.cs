using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Modules.Sensors.Data;
using SafeCities.Modules.Shared.Reporting;

namespace SafeCities.Modules.Sensors.Features;

internal sealed class GetSensorsCollectedDataQueryHandler(SensorsDbContext db, IOptions<SensorsOptions> options)
    : IQueryHandler<GetSensorsCollectedDataQuery, IReadOnlyList<CollectedDataDto>>
{
    public async ValueTask<IReadOnlyList<CollectedDataDto>> Handle(GetSensorsCollectedDataQuery q, CancellationToken ct)
    {
        var detections = await db.Detections.LongCountAsync(d => d.OccurredAt >= q.From && d.OccurredAt < q.To, ct);
        var readings = await db.Database.SqlQuery<long>($"SELECT count(*) AS \"Value\" FROM sensors.readings WHERE at >= {q.From} AND at < {q.To}")
            .SingleAsync(ct);
        return
        [
            new(ReportTechnologies.Acoustic, "Gunshot detections", detections, "Kept: no retention job deletes detections."),
            new(ReportTechnologies.Environmental, "Environmental readings", readings,
                $"{options.Value.ReadingRetentionDays} days, then the day's partition is dropped (Sensors:ReadingRetentionDays)."),
        ];
    }
}
