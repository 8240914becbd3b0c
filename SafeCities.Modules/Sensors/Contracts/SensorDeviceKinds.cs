namespace SafeCities.Modules.Sensors.Contracts;

/// <summary>The device kinds Sensors owns (declared in <see cref="SensorsModule"/>) and the policies their keys are admitted by.</summary>
public static class SensorDeviceKinds
{
    public const string AcousticSensor = "acoustic-sensor";
    public const string GunshotFeed = "gunshot-feed";
    public const string EnvironmentalSensor = "environmental-sensor";

    public static readonly IReadOnlyList<string> All = [AcousticSensor, GunshotFeed, EnvironmentalSensor];

    /// <summary>Gunshot alerts: acoustic sensors and external gunshot-detection feeds.</summary>
    public const string GunshotDevicesPolicy = "GunshotDevices";
    /// <summary>Raw pulses: acoustic sensors only.</summary>
    public const string AcousticSensorsPolicy = "AcousticSensors";
    /// <summary>Environmental readings (air quality, seismic, wind, noise, water): environmental sensors only.</summary>
    public const string EnvironmentalSensorsPolicy = "EnvironmentalSensors";
}
