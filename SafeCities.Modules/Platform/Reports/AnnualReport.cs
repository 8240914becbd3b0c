using Microsoft.Extensions.Caching.Memory;
using System.Globalization;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Platform.Data;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Caching;
using SafeCities.Modules.Shared.Purposes;
using SafeCities.Modules.Shared.Reporting;
using SafeCities.Modules.Shared.Statistics;
using SafeCities.Modules.Video.Contracts;

namespace SafeCities.Modules.Platform.Reports;

internal sealed class GetAnnualReportQueryValidator : AbstractValidator<GetAnnualReportQuery>
{
    public GetAnnualReportQueryValidator(TimeProvider clock)
    {
        RuleFor(q => q.Year).InclusiveBetween(AnnualReportYears.First, clock.GetUtcNow().Year + 1)
            .WithMessage(q => $"'year' must be a year from {AnnualReportYears.First} to {clock.GetUtcNow().Year + 1}.");
        RuleFor(q => q.TimeZone).Must(z => z is not null && TimeZoneInfo.TryFindSystemTimeZoneById(z, out var tz) && tz.HasIanaId)
            .WithMessage("'TimeZone' must be an IANA time zone id.");
    }
}

/// <summary>
/// Assembles the annual report from what each module answers through its contracts (devices, collected data, precision, hit decisions) and
/// from the shared audit log (searches, the deletion log and its anchors). ADR 0045.
/// </summary>
internal sealed class GetAnnualReportQueryHandler(ISender sender, PlatformDbContext db, TimeProvider clock, IMemoryCache cache, IOptions<PurposeOptions> purposes)
    : IQueryHandler<GetAnnualReportQuery, AnnualReportDto>
{
    internal static string CacheKey(int year, string timeZone) => $"platform:annual-report:{year}:{timeZone}";

    private sealed record Technology(string Key, string Name, string Description, string[] DeviceKinds, string[] IncidentKinds,
        (string Module, string Action, string Kind)[] Searches, (string Module, string DataClass)[] Deletions);

    private static readonly Technology[] Technologies =
    [
        new(ReportTechnologies.Acoustic, "Acoustic gunshot detection",
            "Microphones and gunshot-detection feeds that locate gunfire and open a gunshot incident.",
            [SensorDeviceKinds.AcousticSensor, SensorDeviceKinds.GunshotFeed], [IncidentKinds.Gunshot], [], []),
        new(ReportTechnologies.PlateReaders, "Licence plate readers",
            "Cameras that read the plates of passing vehicles; reads are checked against hotlists and can be searched with a stated purpose.",
            [PlatesDeviceKinds.PlateReader], [IncidentKinds.HotlistHit],
            [("Plates", "search", "Plate search"), ("Plates", "vehicle-sightings", "Vehicle sightings"), ("Plates", "colocation", "Co-location")],
            [("Plates", "reads"), ("Plates", "hits")]),
        new(ReportTechnologies.Cameras, "Cameras",
            "Video cameras that turn towards an incident; clips are saved only for an incident, as evidence.",
            [VideoDeviceKinds.Camera], [], [], []),
        new(ReportTechnologies.Environmental, "Environmental sensors",
            "Sensors of air quality, noise, wind, water and ground movement; a reading past a threshold opens an incident.",
            [SensorDeviceKinds.EnvironmentalSensor], [.. IncidentKinds.Environmental], [], [("Sensors", "environmental readings")]),
        new(ReportTechnologies.IntelligenceSearch, "Intelligence search",
            "Searches of records shared by agencies, and views of a person's record; each with a stated purpose, audited.",
            [], [], [("Intelligence", "search", "Intelligence search"), ("Intelligence", "view-person", "Person view")], []),
    ];

    /// <summary>Public: a year's report is computed at most every 10 minutes per node, one computation at a time (<see cref="PublicFigures"/>).</summary>
    public async ValueTask<AnnualReportDto> Handle(GetAnnualReportQuery q, CancellationToken ct) =>
        await cache.GetAsync(CacheKey(q.Year, q.TimeZone), c => BuildAsync(q, c), ct);

    private async Task<AnnualReportDto> BuildAsync(GetAnnualReportQuery q, CancellationToken ct)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(q.TimeZone);
        DateTimeOffset Start(int year)
        {
            var local = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
            return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
        }
        var (from, to) = (Start(q.Year), Start(q.Year + 1));

        // Devices: the registry as it is now (it keeps no history of where a device was), located in the current districts.
        var devices = await sender.Send(new ListDevicesQuery(), ct);
        var codes = devices.Count == 0 ? [] : await sender.Send(new LocateDistrictsQuery([.. devices.Select(d => new DistrictPointDto(d.Latitude, d.Longitude))]), ct);
        var names = await sender.Send(new GetDistrictNamesQuery(), ct);

        var collected = new List<CollectedDataDto>();
        collected.AddRange(await sender.Send(new GetSensorsCollectedDataQuery(from, to), ct));
        collected.AddRange(await sender.Send(new GetPlatesCollectedDataQuery(from, to), ct));
        collected.AddRange(await sender.Send(new GetVideoCollectedDataQuery(from, to), ct));

        var precision = await sender.Send(new GetAlertPrecisionQuery(from, to, q.TimeZone), ct);
        var hits = await sender.Send(new GetHitStatisticsQuery(from, to, q.TimeZone), ct);
        // Sharing: the agencies that actually read data, from the log of their reads (ADR 0041), summed over the year's months.
        var agencyReads = await sender.Send(new GetAgencyReadsQuery(from, to, q.TimeZone), ct);
        var sharing = agencyReads.Months.SelectMany(m => m.Agencies).SelectMany(a => a.Classes.Select(c => (a.Agency, a.Kind, c.DataClass, c.Reads, c.Items)))
            .GroupBy(x => (x.Agency, x.Kind, x.DataClass))
            .Select(g => new AgencySharingDto(g.Key.Agency, g.Key.Kind, g.Key.DataClass, g.Sum(x => (long)x.Reads), g.Sum(x => (long)x.Items)))
            .OrderBy(x => x.Agency, StringComparer.Ordinal).ThenBy(x => x.DataClass, StringComparer.Ordinal).ToList();

        // Searches by kind and by the offence each stated (ADR 0047 keeps caseNumber, offence and approvalId as fields of the entry's details).
        var searches = await db.Database.SqlQuery<SearchRow>($"""
            SELECT module, action, details->>'offence' AS offence, count(*) AS count,
                   count(*) FILTER (WHERE details->>'caseNumber' IS NULL AND details->>'approvalId' IS NOT NULL) AS without_case,
                   count(*) FILTER (WHERE details->>'approvalId' IS NOT NULL) AS approved
            FROM audit.entries
            WHERE at >= {from} AND at < {to} AND module IN ('Plates', 'Intelligence') GROUP BY 1, 2, 3
            """).ToListAsync(ct);
        var deletions = await db.Database.SqlQuery<DeletionRow>($"""
            SELECT e.id, e.at, e.module, e.hash, e.details->>'dataClass' AS data_class,
                   (d->>'day')::date AS day, (d->>'deleted')::bigint AS deleted, (e.at AT TIME ZONE 'UTC')::date AS anchor_day,
                   a.last_hash AS anchor_hash
            FROM audit.entries e CROSS JOIN LATERAL jsonb_array_elements(e.details->'days') d
            LEFT JOIN audit.anchors a ON a.day = (e.at AT TIME ZONE 'UTC')::date AND a.last_id >= e.id
            WHERE e.action = {AuditPurge.Action} AND e.at >= {from} AND e.at < {to}
            ORDER BY e.id, 6
            """).ToListAsync(ct);

        // Complaints, violations (counts and outcomes, never a summary) and costs, as oversight and administrators entered them (ADR 0052).
        var oversight = await Oversight.OversightFigures.ForYearAsync(db, q.Year, ct);

        var report = Technologies.Select(t =>
        {
            var mine = devices.Select((d, i) => (d, Code: codes[i])).Where(x => t.DeviceKinds.Contains(x.d.Kind)).ToList();
            var byDistrict = mine.GroupBy(x => x.Code)
                .Select(g => new DistrictDevicesDto(g.Key, names.NameOf(g.Key), g.Count()))
                .OrderBy(x => x.DistrictCode is null).ThenBy(x => x.DistrictCode, StringComparer.Ordinal).ToList();
            var rows = precision.Rows.Where(r => t.IncidentKinds.Contains(r.Kind)).ToList();
            AlertUseDto? alerts = null;
            if (t.IncidentKinds.Length > 0)
            {
                var (attended, evidence) = (rows.Sum(r => r.Attended), rows.Sum(r => r.WithEvidence));
                var ci = WilsonInterval.Of(evidence, attended);
                alerts = new AlertUseDto(rows.Sum(r => r.Alerts), rows.Sum(r => r.Closed), attended, evidence,
                    rows.SelectMany(r => r.Outcomes).GroupBy(o => o.Key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                        .ToDictionary(g => g.Key, g => g.Sum(o => o.Value)),
                    attended == 0 ? null : (double)evidence / attended, ci?.Low, ci?.High);
            }
            return new TechnologyReportDto(t.Key, t.Name, t.Description, t.DeviceKinds, mine.Count, byDistrict,
                [.. collected.Where(c => c.Technology == t.Key)],
                [.. deletions.Where(d => t.Deletions.Contains((d.Module, d.DataClass ?? ""))).Select(d =>
                    new DeletionDayDto(d.DataClass!, d.Day, d.Deleted, d.At, d.Id, d.Hash, d.AnchorDay, d.AnchorHash))],
                [.. t.Searches.Select(s => new SearchCountDto(s.Kind, searches.Where(r => r.Module == s.Module && r.Action == s.Action).Sum(r => r.Count)))],
                ByOffence(searches.Where(r => t.Searches.Any(s => s.Module == r.Module && s.Action == r.Action))),
                alerts,
                t.Key == ReportTechnologies.PlateReaders ? new HitUseDto(hits.Rows.Sum(r => r.Hits), hits.Rows.Sum(r => r.Confirmed), hits.Rows.Sum(r => r.Rejected)) : null,
                oversight[t.Key]);
        }).ToList();

        return new AnnualReportDto(q.Year, q.TimeZone, from, to, clock.GetUtcNow(), report, sharing);
    }

    /// <summary>Per offence, most searches first (then the list's order); searches that stated none last.</summary>
    private List<OffenceSearchesDto> ByOffence(IEnumerable<SearchRow> rows) =>
        [.. rows.GroupBy(r => r.Offence)
            .Select(g => new OffenceSearchesDto(g.Key, g.Sum(r => r.Count), g.Sum(r => r.WithoutCase), g.Sum(r => r.Approved)))
            .OrderBy(o => o.Offence is null).ThenByDescending(o => o.Searches)
            .ThenBy(o => Array.IndexOf(purposes.Value.Offences, o.Offence) is var i and >= 0 ? i : int.MaxValue).ThenBy(o => o.Offence, StringComparer.Ordinal)];

    private sealed record SearchRow(string Module, string Action, string? Offence, long Count, long WithoutCase, long Approved);

    private sealed record DeletionRow(long Id, DateTimeOffset At, string Module, string Hash, string? DataClass, DateOnly Day, long Deleted, DateOnly AnchorDay,
        string? AnchorHash);
}
