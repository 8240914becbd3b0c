namespace SafeCities.Modules.Sensors.Location;

/// <summary>The solver's estimate of where and when a shot was fired.</summary>
/// <param name="Position">Estimated source position in the pulses' frame.</param>
/// <param name="EmissionTimeSeconds">Estimated time of the shot, same epoch as the pulses.</param>
/// <param name="UncertaintyMeters">
/// Horizontal 1-sigma radius (DRMS, √(σx² + σy²)) from the least-squares covariance scaled by the residual variance,
/// never below the solver's floor.
/// </param>
/// <param name="SensorsUsed">Pulses kept in the final fit.</param>
/// <param name="RejectedPulseIndices">Indices (into the input list) of pulses left out as outliers or unusable.</param>
/// <param name="RmsResidualSeconds">Root-mean-square arrival-time residual of the kept pulses.</param>
internal sealed record ShotLocation(
    Point3 Position,
    double EmissionTimeSeconds,
    double UncertaintyMeters,
    int SensorsUsed,
    IReadOnlyList<int> RejectedPulseIndices,
    double RmsResidualSeconds);
