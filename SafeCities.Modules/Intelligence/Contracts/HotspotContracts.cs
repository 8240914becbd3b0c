namespace SafeCities.Modules.Intelligence.Contracts;

// ---------- hotspot forecasts (Intelligence/Analysis/Hotspots) ----------

/// <summary>One event for an offline hotspot backtest (the benchmark's CSV rows).</summary>
public sealed record HotspotEventInput(DateTimeOffset At, double Latitude, double Longitude);

/// <summary>How one model did over a backtest's windows (PAI/PEI at the flagged-area share), and its mean time per forecast.</summary>
public sealed record HotspotBacktestDto(string Model, int Windows, double MeanHitRate, double MeanPai, double MedianPai, double MeanPei, double MillisecondsPerWindow);

/// <summary>The conditions of a backtest: the grid it ran on and the events it saw.</summary>
public sealed record HotspotBacktestRunDto(int Events, int GridColumns, int GridRows, double CellMeters, IReadOnlyList<HotspotBacktestDto> Models);
