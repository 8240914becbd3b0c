using SafeCities.Modules.Shared.Reporting;

namespace SafeCities.Modules.Platform.Contracts;

/// <summary>
/// The annual surveillance report (issue 14, ADR 0045) for the calendar year <paramref name="Year"/> in <paramref name="TimeZone"/> (the city's
/// IANA zone): per technology, devices by district (the registry as it is now), data collected in the year, retention, the deletion log with
/// the audit anchors sealing it, and use. Computed from the data, never typed; counts only, never a plate, a name or a purpose text.
/// </summary>
public sealed record GetAnnualReportQuery(int Year, string TimeZone) : IQuery<AnnualReportDto>;

public static class AnnualReportYears
{
    /// <summary>The first year a report can be asked for (nothing of this platform is older).</summary>
    public const int First = 2020;
}

/// <param name="From">The year's first instant in the city's time zone.</param>
/// <param name="To">The next year's first instant (exclusive).</param>
/// <param name="Sharing">The agencies that read data in the year, from the log of their reads (ADR 0041): reads and items per data class.</param>
public sealed record AnnualReportDto(int Year, string TimeZone, DateTimeOffset From, DateTimeOffset To, DateTimeOffset GeneratedAt,
    IReadOnlyList<TechnologyReportDto> Technologies, IReadOnlyList<AgencySharingDto> Sharing);

/// <param name="Reads">Searches and person views that returned data of <paramref name="DataClass"/> to the agency in the year.</param>
/// <param name="Items">Persons, records, vehicles, plate reads or incidents of that class they returned.</param>
public sealed record AgencySharingDto(string Agency, string Kind, string DataClass, long Reads, long Items);

/// <param name="Technology">One of <see cref="ReportTechnologies"/>.</param>
/// <param name="DeviceKinds">The registry's device kinds counted as this technology.</param>
/// <param name="Alerts">Incidents of this technology opened in the year and their outcomes; null when it raises no alerts.</param>
/// <param name="Hits">Hotlist hits in the year and their adjudication (plate readers only).</param>
/// <param name="Oversight">Complaints and violations recorded by oversight (counts and outcomes) and the year's costs (ADR 0052).</param>
/// <param name="SearchesByOffence">The same searches by the offence category each stated (ADR 0047), most first; counts only.</param>
public sealed record TechnologyReportDto(string Technology, string Name, string Description, IReadOnlyList<string> DeviceKinds, int Devices,
    IReadOnlyList<DistrictDevicesDto> DevicesByDistrict, IReadOnlyList<CollectedDataDto> Collected, IReadOnlyList<DeletionDayDto> Deletions,
    IReadOnlyList<SearchCountDto> Searches, IReadOnlyList<OffenceSearchesDto> SearchesByOffence, AlertUseDto? Alerts, HitUseDto? Hits,
    OversightUseDto Oversight);

/// <param name="DistrictCode">Null for devices outside every police district.</param>
public sealed record DistrictDevicesDto(string? DistrictCode, string District, int Devices);

/// <summary>
/// One day's deletion of one data class, as the retention job recorded it in the audit hash chain (entry id and hash); the anchor is the
/// signed last hash of the UTC day the entry was written (null until that day's anchor is made).
/// </summary>
public sealed record DeletionDayDto(string DataClass, DateOnly Day, long Deleted, DateTimeOffset RecordedAt, long AuditEntryId, string EntryHash,
    DateOnly AnchorDay, string? AnchorHash);

/// <param name="Kind">The kind of look-up: plate search, vehicle sightings, co-location, intelligence search, person view.</param>
public sealed record SearchCountDto(string Kind, long Searches);

/// <summary>A technology's searches in the year for one offence category (one of <c>Purposes:Offences</c>, as the search stated it).</summary>
/// <param name="Offence">The category; null for searches that stated none: the platform's own automatic look-ups (co-location for a new
/// incident), and searches made before case and offence were required.</param>
/// <param name="WithoutCase">Of these, searches run without a case number, which only a commander's approval allows.</param>
/// <param name="Approved">Of these, searches run under a commander's approval for any reason (no case number, or a sensitive term).</param>
public sealed record OffenceSearchesDto(string? Offence, long Searches, long WithoutCase, long Approved);

/// <param name="Precision">WithEvidence / Attended with its Wilson 95 % interval (ADR 0044); null when none was attended.</param>
public sealed record AlertUseDto(int Alerts, int Closed, int Attended, int WithEvidence, IReadOnlyDictionary<string, int> Outcomes, double? Precision,
    double? Low, double? High);

public sealed record HitUseDto(int Hits, int Confirmed, int Rejected);
