namespace SafeCities.Modules.Intelligence.Contracts;

// ---------- hotspot forecasts (Intelligence/Analysis/Hotspots) ----------

/// <summary>One event for an offline hotspot backtest (the benchmark's CSV rows).</summary>
public sealed record HotspotEventInput(DateTimeOffset At, double Latitude, double Longitude);

/// <summary>How one model did over a backtest's windows (PAI/PEI at the flagged-area share), and its mean time per forecast.</summary>
public sealed record HotspotBacktestDto(string Model, int Windows, double MeanHitRate, double MeanPai, double MedianPai, double MeanPei, double MillisecondsPerWindow);

/// <summary>The conditions of a backtest: the grid it ran on and the events it saw.</summary>
/// <param name="EventsOutside">Events left out as not in the city: farther than 100 km from the events' median place (a record geocoded to 0°, 0°, or to another state).</param>
public sealed record HotspotBacktestRunDto(int Events, int EventsOutside, int GridColumns, int GridRows, double CellMeters, IReadOnlyList<HotspotBacktestDto> Models);

/// <summary>What is forecast: gunshot detections (the platform's sensors), reported crime of one call type, or both together.</summary>
public static class HotspotCrimeTypes
{
    public const string Gunshots = "gunshots";
    public const string All = "all";
    public const string CallPrefix = "calls:";
    public const int MaxLength = 100;
}

public static class HotspotModelNames
{
    public const string Kde = "kde";
    public const string Naive28 = "naive28";
    public const string Sepp = "sepp";
    public const string Ewc = "ewc";
    /// <summary>Long- and short-term incident surfaces mixed with weights fitted on the weeks before each forecast (ADR 0027).</summary>
    public const string Mixture = "mixture";
    public static readonly IReadOnlyList<string> All = [Sepp, Mixture, Kde, Naive28, Ewc];
    /// <summary>The baselines every other model must beat.</summary>
    public static bool IsBaseline(string model) => model is Kde or Naive28;
}

/// <summary>
/// The recurring job's work at <paramref name="At"/> (null: now): score every past forecast whose shift has ended, and forecast the next
/// shift for every crime type and model when it starts soon (Intelligence:Hotspots:LeadMinutes). Only reads the events; writes its own tables.
/// </summary>
public sealed record RunHotspotForecastsCommand(DateTimeOffset? At = null) : ICommand<HotspotRunDto>;

public sealed record HotspotRunDto(int ForecastsMade, int ForecastsScored, DateTimeOffset? NextShiftStart);

/// <summary>The hotspot page: the latest forecast of a crime type and model, and every model's weekly running scores.</summary>
public sealed record GetHotspotOverviewQuery(string? CrimeType = null, string? Model = null, int Weeks = 12) : IQuery<HotspotOverviewDto>;

public sealed record HotspotOverviewDto(IReadOnlyList<string> CrimeTypes, string? CrimeType, string Model, HotspotForecastDto? Forecast,
    IReadOnlyList<HotspotWeekDto> Weeks, IReadOnlyList<HotspotModelSummaryDto> Summary, string Verdict);

/// <param name="SensorEvents">Events of the last 365 days in the flagged cells that came from the platform's sensors (gunshot detections).</param>
/// <param name="ReportedEvents">… that were reported (calls for service).</param>
public sealed record HotspotForecastDto(Guid Id, string CrimeType, string Model, DateTimeOffset IssuedAt, DateTimeOffset WindowStart, DateTimeOffset WindowEnd,
    double CellMeters, double Share, int ActiveCells, int TrainingEvents, IReadOnlyList<HotspotCellDto> Cells, int SensorEvents, int ReportedEvents,
    IReadOnlyList<HotspotDistrictDto> Districts);

/// <summary>
/// The fairness check for one police district (Code null: outside every district): its share of the flagged cells against its share of
/// the events recorded in the year before the forecast. A district flagged far above its share of events is being patrolled on the model's word.
/// </summary>
public sealed record HotspotDistrictDto(string? Code, string Name, int FlaggedCells, double FlaggedShare, int Events, double EventShare);

/// <param name="BackgroundShare">Point process only: the share of the score from the long-run background (the rest: recent events nearby).</param>
public sealed record HotspotCellDto(int Rank, double South, double West, double North, double East, double Score, double? BackgroundShare,
    int SensorEvents, int ReportedEvents);

/// <summary>One model's scored shifts in a week (Monday, UTC): their mean PAI and hit rate.</summary>
public sealed record HotspotWeekDto(DateOnly WeekStart, string Model, int Windows, double? MeanPai, double? MeanHitRate);

public sealed record HotspotModelSummaryDto(string Model, int Windows, double? MeanPai, double? MedianPai, double? MeanHitRate, double? MeanPei);
