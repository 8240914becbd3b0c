namespace SafeCities.Modules.Sensors.Location;

/// <summary>Identifies one shot in a recording: firing position, test and shot index (kept as text, as given).</summary>
internal sealed record ShotKey(string FiringPosition, string TestId, string ShotIndex);

/// <summary>One recorded shot: its pulses, the air temperature and, when known, the surveyed (true) position.</summary>
internal sealed record RecordedShot(ShotKey Key, IReadOnlyList<AcousticPulse> Pulses, double TemperatureCelsius, Point3? Survey);
