using Microsoft.Extensions.Configuration;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Intelligence.Data;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Shared.Time;

namespace SafeCities.Modules.Intelligence.Analysis;

/// <summary>Settings of the analyses (<c>Intelligence:Analysis:*</c>) and the city's time zone (<c>City:TimeZone</c>).</summary>
internal sealed class AnalysisOptions(IConfiguration config)
{
    public static readonly IReadOnlyList<string> DefaultGunfireCallTypes = ["shots fired", "shooting", "sounds of gunshots", "gunshot"];

    public TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById(CityZone.Id(config));

    /// <summary>Call types that count as a report of gunfire (case-insensitive).</summary>
    public IReadOnlyList<string> GunfireCallTypes { get; } =
        config.GetSection("Intelligence:Analysis:GunfireCallTypes").Get<string[]>() is { Length: > 0 } types ? types : DefaultGunfireCallTypes;

    /// <summary>Tail probability below which a district's 24-hour count is a spike.</summary>
    public double SpikeAlpha { get; } = config.GetValue("Intelligence:Analysis:SpikeAlpha", 0.001);

    /// <summary>Fewest events in 24 hours that can be a spike.</summary>
    public int SpikeMinimumCount { get; } = config.GetValue("Intelligence:Analysis:SpikeMinimumCount", 3);
}

/// <summary>
/// Reads the analyses' events: incidents from Alerts through its contract (<see cref="SearchIncidentHistoryQuery"/>, 10,000 a page) and
/// calls for service from this module's agency records; every event gets its district from <see cref="DistrictLocator"/>.
/// </summary>
internal sealed class AnalysisEventSource(ISender sender, IntelligenceDbContext db, DistrictLocator districts)
{
    public const int MaxEvents = 500_000;

    /// <param name="type">An incident kind, "call:&lt;call type&gt;", "call:*" for every call, or null for everything.</param>
    public async Task<IReadOnlyList<AnalysisEvent>> LoadAsync(string? type, DateTimeOffset from, DateTimeOffset to, CancellationToken ct,
        IReadOnlyCollection<string>? callTypes = null)
    {
        // PostgreSQL's timestamptz takes UTC only; the pages send city times with their offset
        (from, to) = (from.ToUniversalTime(), to.ToUniversalTime());
        var events = new List<AnalysisEvent>();
        if (type is null || !type.StartsWith("call:", StringComparison.Ordinal))
            await LoadIncidentsAsync(type, from, to, events, ct);
        if (type is null || type.StartsWith("call:", StringComparison.Ordinal))
        {
            var wanted = callTypes is not null ? callTypes.Select(AnalysisSources.CallType).ToHashSet(StringComparer.Ordinal)
                : type is null or "call:*" ? null : [type];
            await LoadCallsAsync(wanted, from, to, events, ct);
        }
        // incidents carry the district they opened in; calls (and incidents from before the districts) are located now
        var unplaced = events.Select((e, i) => (e, i)).Where(x => x.e.District.Length == 0).ToList();
        var codes = await districts.LocateAsync(unplaced.Select(x => (x.e.Latitude, x.e.Longitude)).ToList(), ct);
        for (var k = 0; k < unplaced.Count; k++)
            events[unplaced[k].i] = unplaced[k].e with { District = codes[k] };
        return events;
    }

    private async Task LoadIncidentsAsync(string? kind, DateTimeOffset from, DateTimeOffset to, List<AnalysisEvent> events, CancellationToken ct)
    {
        for (var page = 1; ; page++)
        {
            var result = await sender.Send(new SearchIncidentHistoryQuery(From: from, To: to, Kind: kind, Page: page, PageSize: 10_000), ct);
            events.AddRange(result.Items.Select(i => new AnalysisEvent(i.Id, AnalysisSources.Incident, i.Kind, i.Latitude, i.Longitude, i.OpenedAt, i.District ?? "")));
            if (result.Items.Count < 10_000 || events.Count >= MaxEvents)
                return;
        }
    }

    private async Task LoadCallsAsync(HashSet<string>? types, DateTimeOffset from, DateTimeOffset to, List<AnalysisEvent> events, CancellationToken ct)
    {
        var calls = await db.Records.AsNoTracking()
            .Where(r => r.Kind == RecordKinds.CallForService && r.StartedAt >= from && r.StartedAt < to && r.Latitude != null && r.Longitude != null)
            .OrderBy(r => r.StartedAt).Take(MaxEvents)
            .Select(r => new { r.Id, r.StartedAt, r.Latitude, r.Longitude, r.Details })
            .ToListAsync(ct);
        foreach (var c in calls)
        {
            var type = AnalysisSources.CallType(c.Details.GetValueOrDefault("callType") ?? "");
            if (types is null || types.Contains(type))
                events.Add(new AnalysisEvent(c.Id, AnalysisSources.CallForService, type, c.Latitude!.Value, c.Longitude!.Value, c.StartedAt!.Value, ""));
        }
    }
}

/// <summary>
/// The district code of each point, from Platform's districts (<see cref="LocateDistrictsQuery"/>, 100,000 points a query); a point
/// outside every district is <see cref="AnalysisSources.OutsideDistricts"/>, and every point is <see cref="AnalysisSources.WholeCity"/> while
/// the city has no districts.
/// </summary>
internal sealed class DistrictLocator(ISender sender)
{
    private const int Chunk = 100_000;

    public async Task<IReadOnlyList<string>> LocateAsync(IReadOnlyList<(double Latitude, double Longitude)> points, CancellationToken ct)
    {
        if (points.Count == 0)
            return [];
        if ((await sender.Send(new GetDistrictNamesQuery(), ct)).Count == 0)
            return points.Select(_ => AnalysisSources.WholeCity).ToList();
        var codes = new List<string>(points.Count);
        foreach (var chunk in points.Chunk(Chunk))
            codes.AddRange((await sender.Send(new LocateDistrictsQuery(chunk.Select(p => new DistrictPointDto(p.Latitude, p.Longitude)).ToList()), ct))
                .Select(c => c ?? AnalysisSources.OutsideDistricts));
        return codes;
    }
}
