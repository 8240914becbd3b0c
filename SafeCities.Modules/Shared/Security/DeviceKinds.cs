namespace SafeCities.Modules.Shared.Security;

public static class DeviceKinds
{
    public const string AcousticSensor = "acoustic-sensor";
    public const string GunshotFeed = "gunshot-feed";
    public const string EnvironmentalSensor = "environmental-sensor";
    public const string Streetlight = "streetlight";
    public const string Camera = "camera";
    public const string PlateReader = "plate-reader";

    public static readonly IReadOnlyList<string> All = [AcousticSensor, GunshotFeed, EnvironmentalSensor, Streetlight, Camera, PlateReader];
    public static readonly IReadOnlyList<string> Sensors = [AcousticSensor, GunshotFeed, EnvironmentalSensor];
}
