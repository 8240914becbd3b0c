namespace SafeCities.Modules.Sensors;

internal sealed class SensorsOptions
{
    public const string Section = "Sensors";
    /// <summary>How far in the future a device clock may be before its report is refused.</summary>
    public int MaxClockSkewSeconds { get; set; } = 120;
    /// <summary>Air temperature for the speed of sound (no weather feed yet).</summary>
    public double AirTemperatureCelsius { get; set; } = 15;
    /// <summary>Pulses this far apart in time may still be grouped into one shot (seconds).</summary>
    public double PulseWindowSeconds { get; set; } = 10;
    /// <summary>A multilateration fit less certain than this (metres, 1-sigma) is not reported.</summary>
    public double MaxUncertaintyMeters { get; set; } = 50;
    /// <summary>Most pulses accepted in one request.</summary>
    public int MaxPulsesPerBatch { get; set; } = 500;
    /// <summary>Environmental readings are kept this many days (whole day partitions are dropped after it).</summary>
    public int ReadingRetentionDays { get; set; } = 400;
}
