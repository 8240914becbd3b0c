using SafeCities.Modules.Lighting.Contracts;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Modules.Video.Contracts;

namespace SafeCities.Tests;

/// <summary>The device kinds the tests register, each as the module that owns it declares it (its <c>XDeviceKinds</c> contract).</summary>
internal static class DeviceKinds
{
    public const string AcousticSensor = SensorDeviceKinds.AcousticSensor;
    public const string GunshotFeed = SensorDeviceKinds.GunshotFeed;
    public const string EnvironmentalSensor = SensorDeviceKinds.EnvironmentalSensor;
    public const string Streetlight = LightingDeviceKinds.Streetlight;
    public const string Camera = VideoDeviceKinds.Camera;
    public const string PlateReader = PlatesDeviceKinds.PlateReader;
}
