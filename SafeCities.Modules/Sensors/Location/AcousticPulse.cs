namespace SafeCities.Modules.Sensors.Location;

/// <summary>One sensor's detection of an impulsive sound: where the sensor is and when the pulse arrived.</summary>
/// <param name="Sensor">Sensor position in the local frame (metres).</param>
/// <param name="ArrivalTimeSeconds">Arrival time in seconds relative to any fixed epoch.</param>
/// <param name="SensorPositionErrorMeters">1-sigma uncertainty of the sensor position, if known (0 = exact).</param>
internal sealed record AcousticPulse(Point3 Sensor, double ArrivalTimeSeconds, double SensorPositionErrorMeters = 0.0);
