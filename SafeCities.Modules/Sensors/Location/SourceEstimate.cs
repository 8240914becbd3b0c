namespace SafeCities.Modules.Sensors.Location;

/// <summary>
/// A candidate source in a <see cref="TdoaProblem"/>'s local frame; <see cref="Bias"/> is c·(emission time − reference time)
/// in metres.
/// </summary>
internal readonly record struct SourceEstimate(double X, double Y, double Z, double Bias);
