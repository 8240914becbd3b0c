using SafeCities.Modules.Sensors.Location;

namespace SafeCities.Tests.Unit.Sensors;

/// <summary>Builds exact (or seeded-noise) pulses for a known source, for solver and grouping tests.</summary>
internal static class SyntheticShot
{
    public const double TemperatureCelsius = 20.0;

    /// <summary>An irregular urban-like array about 1 km across, sensors on rooftops 6–25 m up.</summary>
    public static readonly Point3[] Array =
    [
        new(0, 0, 12), new(420, 60, 8), new(860, -40, 20), new(-30, 390, 15), new(450, 470, 6),
        new(910, 420, 18), new(60, 820, 25), new(480, 880, 10), new(870, 860, 14), new(250, 230, 9),
        new(690, 250, 22), new(230, 640, 7), new(660, 660, 16), new(-200, 600, 11), new(1080, 640, 13),
        new(300, -180, 19), new(600, 1050, 8), new(-150, 150, 21), new(1000, 100, 12), new(120, 1000, 17),
    ];

    public static double SoundSpeed => SpeedOfSound.FromTemperature(TemperatureCelsius);

    public static List<AcousticPulse> Pulses(Point3 source, double emissionTime, IEnumerable<Point3> sensors, double noiseSeconds = 0, int seed = 1)
    {
        var random = new Random(seed);
        return sensors
            .Select(sensor => new AcousticPulse(sensor, emissionTime + (source.DistanceTo(sensor) / SoundSpeed) + (noiseSeconds * Gaussian(random))))
            .ToList();
    }

    public static AcousticPulse Delayed(AcousticPulse pulse, double delaySeconds) =>
        pulse with { ArrivalTimeSeconds = pulse.ArrivalTimeSeconds + delaySeconds };

    private static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
