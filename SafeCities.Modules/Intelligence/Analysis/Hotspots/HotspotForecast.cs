namespace SafeCities.Modules.Intelligence.Analysis.Hotspots;

/// <summary>
/// One model's forecast for one crime type and one shift, with the grid it was made on (so it can be scored later exactly as issued) and,
/// once its window has passed, its score. Never changed after scoring.
/// </summary>
internal sealed class HotspotForecast
{
    public Guid Id { get; init; }
    public required string CrimeType { get; init; }
    public required string Model { get; init; }
    public DateTimeOffset IssuedAt { get; init; }
    public DateTimeOffset WindowStart { get; init; }
    public DateTimeOffset WindowEnd { get; init; }
    /// <summary>The grid: south-west and north-east corners (degrees) and the cell size.</summary>
    public double South { get; init; }
    public double West { get; init; }
    public double North { get; init; }
    public double East { get; init; }
    public double CellMeters { get; init; }
    public double Share { get; init; }
    /// <summary>A: cells with at least one event in the 365 days before the window.</summary>
    public int ActiveCells { get; init; }
    public int TrainingEvents { get; init; }
    public DateTimeOffset? ScoredAt { get; private set; }
    public int? Events { get; private set; }
    public int? Captured { get; private set; }
    public int? BestCaptured { get; private set; }
    public double? HitRate { get; private set; }
    public double? Pai { get; private set; }
    public double? Pei { get; private set; }
    public List<HotspotCell> Cells { get; init; } = [];
    /// <summary>The fairness check per police district (stored as JSON): flagged cells vs recorded events of the last 365 days.</summary>
    public List<HotspotDistrictShare> Districts { get; set; } = [];

    public HotspotMap Map() => new(South, West, North, East, CellMeters);

    /// <summary>Records how the forecast did; a window without events is marked scored with no figures (nothing to measure).</summary>
    public void Scored(HotspotScore? score, DateTimeOffset at)
    {
        ScoredAt = at;
        (Events, Captured, BestCaptured, HitRate, Pai, Pei) = score is null
            ? (0, (int?)null, (int?)null, (double?)null, (double?)null, (double?)null)
            : (score.Events, score.Captured, score.BestCaptured, score.HitRate, score.Pai, score.Pei);
    }
}

/// <summary>
/// A flagged cell, best first (rank 1). <see cref="BackgroundShare"/>: for the point process, the share of the cell's score that is the
/// long-run background (the rest comes from recent events nearby). The source counts are the events in the cell over the 365 days before
/// the window by where they came from: the platform's own sensors (gunshot detections) or reported crime (calls for service).
/// </summary>
internal sealed class HotspotCell
{
    public Guid Id { get; init; }
    public Guid ForecastId { get; init; }
    public int Rank { get; init; }
    public int Cell { get; init; }
    public double Score { get; init; }
    public double? BackgroundShare { get; init; }
    public int SensorEvents { get; init; }
    public int ReportedEvents { get; init; }
}

/// <summary>A district's flagged cells (by cell centre) and recorded events of the year before the forecast; code null = outside every district.</summary>
internal sealed record HotspotDistrictShare(string? Code, int FlaggedCells, int Events);

/// <summary>appsettings <c>Intelligence:Hotspots</c>.</summary>
internal sealed class HotspotOptions
{
    public const string Section = "Intelligence:Hotspots";
    /// <summary>Grid cell edge, metres.</summary>
    public double CellMeters { get; set; } = 150;
    /// <summary>The flagged share of the active cells that a forecast is scored at.</summary>
    public double ShareFlagged { get; set; } = 0.01;
    /// <summary>Shift length; shifts start at <see cref="FirstShiftHour"/> city time and every <see cref="ShiftHours"/> after.</summary>
    public double ShiftHours { get; set; } = 8;
    public int FirstShiftHour { get; set; } = 6;
    /// <summary>The next shift's forecast is made when the job runs within this many minutes before the shift starts.</summary>
    public int LeadMinutes { get; set; } = 90;
    /// <summary>When the job runs (UTC cron).</summary>
    public string CronExpression { get; set; } = "*/30 * * * *";
    /// <summary>A call type is forecast when it had at least this many located calls in the last 365 days.</summary>
    public int MinEventsPerType { get; set; } = 20;
    /// <summary>The city's time zone (City:TimeZone), for the shift boundaries.</summary>
    public string TimeZone { get; set; } = "America/New_York";
    /// <summary>At most this many call types (the busiest) are forecast, besides gunshots and all events together.</summary>
    public int MaxCallTypes { get; set; } = 5;
}
