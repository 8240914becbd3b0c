namespace SafeCities.Modules.Sensors;

internal sealed class SensorsOptions
{
    public const string Section = "Sensors";
    /// <summary>How far in the future a device clock may be before its report is refused.</summary>
    public int MaxClockSkewSeconds { get; set; } = 120;
    /// <summary>Detections whose reactions have not all run after this long are re-published by the sweep job.</summary>
    public int RedispatchAfterSeconds { get; set; } = 30;
}
