namespace SafeCities.Modules.Sensors.Location;

internal static class SpeedOfSound
{
    /// <summary>Temperature used when none is known (ISA sea level, 15 °C).</summary>
    public const double DefaultTemperatureCelsius = 15.0;

    /// <summary>Speed of sound in dry air, c = 20.05·√(T + 273.15) m/s.</summary>
    public static double FromTemperature(double temperatureCelsius)
    {
        var kelvin = temperatureCelsius + 273.15;
        if (!double.IsFinite(kelvin) || kelvin <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(temperatureCelsius), temperatureCelsius, "Temperature must be above absolute zero.");
        }

        return 20.05 * Math.Sqrt(kelvin);
    }
}
