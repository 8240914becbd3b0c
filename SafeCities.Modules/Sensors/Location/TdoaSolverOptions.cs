namespace SafeCities.Modules.Sensors.Location;

/// <summary>
/// Tuning of <see cref="TdoaSolver"/>. Defaults were chosen on the ShotSpotter Pittsburgh 2018 live-fire data, where
/// arrival-time residuals of line-of-sight pulses are typically 5–10 ms (propagation around buildings), not the
/// sub-millisecond timing precision of the sensors.
/// </summary>
internal sealed record TdoaSolverOptions
{
    public static TdoaSolverOptions Default { get; } = new();

    /// <summary>Floor of the per-pulse timing noise used for the uncertainty when the residuals are (near) zero.</summary>
    public double TimingSigmaSeconds { get; init; } = 0.001;

    /// <summary>
    /// A late pulse is rejected when its residual exceeds max(this, <see cref="OutlierSigmaMultiplier"/> · robust sigma).
    /// 25 ms ≈ 8.5 m of extra path: well above the spread of genuine line-of-sight residuals.
    /// </summary>
    public double OutlierThresholdSeconds { get; init; } = 0.025;

    /// <summary>Multiplier on the robust (1.4826·MAD) residual scale in the rejection threshold.</summary>
    public double OutlierSigmaMultiplier { get; init; } = 4.0;

    /// <summary>How many times the late-pulse threshold an EARLY residual must exceed before it is rejected.</summary>
    public double EarlyOutlierFactor { get; init; } = 3.0;

    /// <summary>Largest share of the pulses that may be rejected (never leaving fewer than four).</summary>
    public double MaxRejectedFraction { get; init; } = 0.3;

    /// <summary>
    /// Typical range noise (metres) against which a pulse's sensor-position error is weighed: weight = n² / (n² + e²).
    /// </summary>
    public double RangeNoiseMeters { get; init; } = 1.0;

    /// <summary>
    /// Solve for the source elevation (with a Gaussian prior around <see cref="SourceElevation"/>); otherwise the
    /// elevation is fixed there. Ground-level arrays constrain elevation poorly, so it is fixed by default.
    /// </summary>
    public bool SolveElevation { get; init; }

    /// <summary>Assumed source elevation in the sensors' frame; null means the mean sensor elevation.</summary>
    public double? SourceElevation { get; init; }

    /// <summary>1-sigma of the elevation prior (metres) when <see cref="SolveElevation"/> is set, weighed against <see cref="RangeNoiseMeters"/>.</summary>
    public double ElevationPriorSigmaMeters { get; init; } = 30.0;

    /// <summary>Search margin around the sensors' bounding box, as a share of its larger side (at least 200 m).</summary>
    public double SearchMarginFraction { get; init; } = 0.5;

    /// <summary>Smallest horizontal uncertainty ever reported (metres).</summary>
    public double MinimumUncertaintyMeters { get; init; } = 1.0;

    /// <summary>
    /// Error the residuals cannot show — sound bending around buildings, wind, sensor survey — added in quadrature to the fit's
    /// own uncertainty (metres). 0 reports the bare statistical figure. <see cref="Field"/> is calibrated on the ShotSpotter
    /// Pittsburgh live-fire test so that about two thirds of shots fall within the reported radius.
    /// </summary>
    public double SystematicErrorMeters { get; init; }

    /// <summary>Settings for real deployments: the default solver plus the calibrated systematic error.</summary>
    public static TdoaSolverOptions Field { get; } = new() { SystematicErrorMeters = 4.5 };
}
