namespace SafeCities.Modules.Intelligence.Contracts;

/// <summary>Event types the analyses can read: incident kinds (e.g. "gunshot") and call-for-service types ("call:shots fired"), with counts.</summary>
public sealed record ListAnalysisTypesQuery : IQuery<IReadOnlyList<AnalysisTypeDto>>;

public sealed record AnalysisTypeDto(string Type, string Label, int Count);

/// <summary>
/// The Knox near-repeat test (Near Repeat Calculator bands) on the events of <paramref name="Type"/> in [<paramref name="From"/>,
/// <paramref name="To"/>), optionally inside a box and/or one <paramref name="District"/> (a district code, "Whole city" or "Outside districts"). Bounded: at most 2,000 events (more is refused with a message saying how many there
/// are) and 999 permutations; <paramref name="Seed"/> makes a run repeatable.
/// </summary>
public sealed record RunNearRepeatQuery(string Type, DateTimeOffset From, DateTimeOffset To, double SpatialBandwidthMeters = 100, int SpatialBands = 3,
    int TemporalBandwidthDays = 7, int TemporalBands = 3, int Permutations = 99, int? Seed = null, double? South = null, double? West = null,
    double? North = null, double? East = null, string? District = null) : IQuery<NearRepeatResultDto>;

/// <summary>One cell of the Knox table: observed pairs, mean expected pairs, their ratio (null when nothing was expected) and p-value.</summary>
public sealed record NearRepeatCellDto(int Observed, double Expected, double? Ratio, double PValue);

/// <param name="Cells">Rows = distance bands (<paramref name="DistanceBands"/>), columns = day bands (<paramref name="DayBands"/>).</param>
public sealed record NearRepeatResultDto(string Type, int Events, long Pairs, int Permutations, double BestP, IReadOnlyList<string> DistanceBands,
    IReadOnlyList<string> DayBands, IReadOnlyList<IReadOnlyList<NearRepeatCellDto>> Cells, string? NearRepeatSummary, string? RepeatSummary);

/// <summary>
/// Trends of the <paramref name="Weeks"/> weeks before now, optionally of one <paramref name="Type"/> and/or <paramref name="District"/>:
/// hour × weekday counts (city time), changes per district and type, weekly series, and the spikes the job would raise now.
/// </summary>
public sealed record GetTrendsQuery(string? Type = null, string? District = null, int Weeks = 12) : IQuery<TrendsDto>;

public sealed record TrendChangeDto(string District, string Type, int ThisWeek, int LastWeek, int SameWeekLastYear, double? WeekOverWeek,
    double? YearOverYear);

public sealed record TrendSpikeDto(string District, string Type, int Count, double BaselinePerDay, string Model, double PValue);

/// <param name="HourByWeekday">[weekday 0 = Monday][hour 0–23] counts in <paramref name="TimeZone"/>.</param>
/// <param name="WeekEnds">The end of each weekly bucket of <paramref name="Weekly"/>, oldest first.</param>
public sealed record TrendsDto(DateTimeOffset Now, string TimeZone, int Events, IReadOnlyList<IReadOnlyList<int>> HourByWeekday,
    IReadOnlyList<TrendChangeDto> Changes, IReadOnlyList<DateTimeOffset> WeekEnds, IReadOnlyDictionary<string, IReadOnlyList<int>> Weekly,
    IReadOnlyList<TrendSpikeDto> Spikes, IReadOnlyList<string> Districts);

/// <summary>Looks for spikes now and raises <see cref="CrimeSpikeDetectedEvent"/> for each new one (run hourly by a recurring job).</summary>
public sealed record DetectCrimeSpikesCommand : ICommand<int>;

/// <summary>A district's count of one event type over the last 24 hours is unusually high against its own 28-day baseline.</summary>
/// <param name="District">The district's code (or "Outside districts" / "Whole city").</param>
/// <param name="DistrictName">What people call it (<see cref="Platform.Contracts.DistrictNames.NameOf"/>).</param>
/// <param name="Type">The analysis type (<c>call:burglary</c>, an incident kind), the trends page's filter value.</param>
/// <param name="TypeName">The type as the type list names it ("Calls for service: burglary").</param>
public sealed record CrimeSpikeDetectedEvent(Guid Id, string District, string DistrictName, string Type, string TypeName, int Count, double BaselinePerDay, string Model, double PValue,
    DateTimeOffset At) : INotification;

/// <summary>
/// Sensor-detected gunfire (incidents of kind gunshot) in [<paramref name="From"/>, <paramref name="To"/>) joined with calls for service of
/// the gunfire call types (<paramref name="CallTypes"/>, or the configured list) received within <paramref name="MaxMeters"/> and from
/// <paramref name="MinutesBefore"/> before to <paramref name="MinutesAfter"/> after a detection.
/// </summary>
public sealed record GetGunfireReportingQuery(DateTimeOffset From, DateTimeOffset To, double MaxMeters = 300, double MinutesBefore = 5,
    double MinutesAfter = 30, IReadOnlyList<string>? CallTypes = null) : IQuery<GunfireReportingDto>;

public sealed record GunfireReportingCellDto(string District, int Hour, int Detected, int WithoutCall, double UnreportedShare);

public sealed record GunfireDetectionDto(Guid Id, double Latitude, double Longitude, DateTimeOffset At, string District, bool Called);

public sealed record GunfireReportingDto(int Detected, int WithoutCall, double UnreportedShare, IReadOnlyList<string> CallTypes, string TimeZone,
    IReadOnlyList<GunfireReportingCellDto> Cells, IReadOnlyList<GunfireDetectionDto> Detections);
