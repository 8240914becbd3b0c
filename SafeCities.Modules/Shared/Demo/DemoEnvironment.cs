using System.Security.Cryptography;
using System.Text;

namespace SafeCities.Modules.Shared.Demo;

/// <summary>
/// The demo city's environmental sensors, shared by Platform's seeder (which registers them) and Sensors' simulator (which makes them report):
/// four air-quality stations around Congress Heights, a seismic station, wind at 10 m and 40 m (the two heights of a shear), and a
/// water-pressure sensor on a main. Each has a key derived from <c>Demo:EnvironmentalSensorKey</c> and its name, so the simulator can publish
/// over MQTT as the device itself.
/// </summary>
internal static class DemoEnvironment
{
    public const string KeySetting = "Demo:EnvironmentalSensorKey";

    /// <summary>Name, offset from the demo centre (degrees), elevation (m), and whether it publishes over MQTT (else the HTTP path's command).</summary>
    public static readonly IReadOnlyList<(string Name, double DLat, double DLon, double? Elevation, bool Mqtt)> Sensors =
    [
        ("Air quality — Congress Heights", 0.0012, -0.0020, 4, true),
        ("Air quality — Anacostia", 0.0105, 0.0040, 4, true),
        ("Air quality — Bellevue", -0.0110, -0.0060, 4, true),
        ("Air quality — Barry Farm", 0.0060, -0.0120, 4, true),
        ("Seismic station — St. Elizabeths", 0.0030, 0.0070, 0, false),
        ("Wind 10 m — Congress Heights", -0.0020, 0.0010, 10, false),
        ("Wind 40 m — Congress Heights", -0.0021, 0.0012, 40, false),
        ("Water pressure — MLK Ave main", -0.0045, -0.0030, -1.5, true),
    ];

    /// <summary>The device key of a demo sensor: the configured base and a digest of the name (not a secret: the demo's keys are in its settings).</summary>
    public static string KeyOf(string baseKey, string name) =>
        $"{baseKey}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..12]}";
}
