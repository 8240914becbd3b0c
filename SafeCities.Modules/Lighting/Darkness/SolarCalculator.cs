namespace SafeCities.Modules.Lighting.Darkness;

/// <summary>
/// Sun position and civil twilight from the NOAA solar calculator equations (Meeus-based: geometric mean longitude and
/// anomaly, equation of centre, apparent longitude, obliquity → declination and equation of time). Accurate to about
/// a minute for civil dawn/dusk between ±72° latitude. Latitude north positive, longitude east positive, in degrees.
/// </summary>
internal static class SolarCalculator
{
    /// <summary>Civil twilight ends / begins when the sun's centre is 6° below the horizon (geometric, no refraction).</summary>
    public const double CivilTwilightElevationDegrees = -6.0;

    private const int Refinements = 3;

    /// <summary>True between civil dusk and civil dawn, i.e. when the sun's centre is more than 6° below the horizon.</summary>
    public static bool IsDark(double latitude, double longitude, DateTimeOffset instant) =>
        SolarElevationDegrees(latitude, longitude, instant) < CivilTwilightElevationDegrees;

    /// <summary>Geometric elevation of the sun's centre above the horizon, in degrees (no refraction).</summary>
    public static double SolarElevationDegrees(double latitude, double longitude, DateTimeOffset instant)
    {
        ValidatePlace(latitude, longitude);
        var utc = instant.ToUniversalTime();
        var sun = SunAt(JulianDay(utc));
        var minutesOfDay = utc.TimeOfDay.TotalMinutes;
        var trueSolarMinutes = minutesOfDay + sun.EquationOfTimeMinutes + (4.0 * longitude);
        var hourAngle = (trueSolarMinutes / 4.0) - 180.0;
        var cosZenith = (Sin(latitude) * Sin(sun.DeclinationDegrees)) + (Cos(latitude) * Cos(sun.DeclinationDegrees) * Cos(hourAngle));
        return 90.0 - Degrees(Math.Acos(Math.Clamp(cosZenith, -1.0, 1.0)));
    }

    /// <summary>
    /// Morning civil twilight start (sun rising through −6°) on the local date <paramref name="date"/> at the place, in UTC;
    /// null when the sun stays above or below −6° all that day (polar summer / polar night).
    /// </summary>
    public static DateTimeOffset? CivilDawn(double latitude, double longitude, DateOnly date) =>
        TwilightCrossing(latitude, longitude, date, morning: true);

    /// <summary>Evening civil twilight end (sun setting through −6°) on the local date, in UTC; null as for <see cref="CivilDawn"/>.</summary>
    public static DateTimeOffset? CivilDusk(double latitude, double longitude, DateOnly date) =>
        TwilightCrossing(latitude, longitude, date, morning: false);

    /// <summary>Solar noon (sun on the meridian) of the local date at the given longitude, in UTC.</summary>
    public static DateTimeOffset SolarNoon(double longitude, DateOnly date)
    {
        ValidatePlace(0, longitude);
        var midnight = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var minutes = 720.0 - (4.0 * longitude);
        for (var i = 0; i < Refinements; i++)
        {
            minutes = 720.0 - (4.0 * longitude) - SunAt(JulianDay(midnight.AddMinutes(minutes))).EquationOfTimeMinutes;
        }

        return midnight.AddMinutes(minutes);
    }

    /// <summary>
    /// Hour angle at which the sun's centre is at −6°, refined at the crossing itself (declination and equation of time
    /// change during the day). The date is taken as the solar day around that date's local solar noon.
    /// </summary>
    private static DateTimeOffset? TwilightCrossing(double latitude, double longitude, DateOnly date, bool morning)
    {
        ValidatePlace(latitude, longitude);
        var midnight = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var minutes = (SolarNoon(longitude, date) - midnight).TotalMinutes;
        for (var i = 0; i < Refinements; i++)
        {
            var sun = SunAt(JulianDay(midnight.AddMinutes(minutes)));
            if (HourAngleDegrees(latitude, sun.DeclinationDegrees, CivilTwilightElevationDegrees) is not { } hourAngle)
            {
                return null;
            }

            var noon = 720.0 - (4.0 * longitude) - sun.EquationOfTimeMinutes;
            minutes = morning ? noon - (4.0 * hourAngle) : noon + (4.0 * hourAngle);
        }

        return midnight.AddTicks((long)Math.Round(minutes * TimeSpan.TicksPerMinute));
    }

    /// <summary>Hour angle (degrees, ≥ 0) of the sun at the given elevation, or null when it never reaches it that day.</summary>
    private static double? HourAngleDegrees(double latitude, double declination, double elevation)
    {
        var cosHourAngle = (Sin(elevation) - (Sin(latitude) * Sin(declination))) / (Cos(latitude) * Cos(declination));
        return cosHourAngle is >= -1.0 and <= 1.0 ? Degrees(Math.Acos(cosHourAngle)) : null;
    }

    private readonly record struct SunState(double DeclinationDegrees, double EquationOfTimeMinutes);

    /// <summary>NOAA spreadsheet equations: solar declination and equation of time at a Julian day.</summary>
    private static SunState SunAt(double julianDay)
    {
        var t = (julianDay - 2451545.0) / 36525.0;
        var meanLongitude = Normalize(280.46646 + (t * (36000.76983 + (t * 0.0003032))));
        var meanAnomaly = 357.52911 + (t * (35999.05029 - (0.0001537 * t)));
        var eccentricity = 0.016708634 - (t * (0.000042037 + (0.0000001267 * t)));
        var equationOfCentre = (Sin(meanAnomaly) * (1.914602 - (t * (0.004817 + (0.000014 * t)))))
            + (Sin(2 * meanAnomaly) * (0.019993 - (0.000101 * t)))
            + (Sin(3 * meanAnomaly) * 0.000289);
        var trueLongitude = meanLongitude + equationOfCentre;
        var omega = 125.04 - (1934.136 * t);
        var apparentLongitude = trueLongitude - 0.00569 - (0.00478 * Sin(omega));
        var meanObliquity = 23.0 + ((26.0 + ((21.448 - (t * (46.815 + (t * (0.00059 - (t * 0.001813)))))) / 60.0)) / 60.0);
        var obliquity = meanObliquity + (0.00256 * Cos(omega));
        var declination = Degrees(Math.Asin(Sin(obliquity) * Sin(apparentLongitude)));
        var y = Math.Tan(Radians(obliquity / 2)) * Math.Tan(Radians(obliquity / 2));
        var equationOfTime = (y * Sin(2 * meanLongitude))
            - (2 * eccentricity * Sin(meanAnomaly))
            + (4 * eccentricity * y * Sin(meanAnomaly) * Cos(2 * meanLongitude))
            - (0.5 * y * y * Sin(4 * meanLongitude))
            - (1.25 * eccentricity * eccentricity * Sin(2 * meanAnomaly));
        return new SunState(declination, 4.0 * Degrees(equationOfTime));
    }

    private static double JulianDay(DateTimeOffset utc) =>
        2440587.5 + ((utc - DateTimeOffset.UnixEpoch).Ticks / (double)TimeSpan.TicksPerDay);

    private static void ValidatePlace(double latitude, double longitude)
    {
        if (!(latitude is >= -90 and <= 90))
        {
            throw new ArgumentOutOfRangeException(nameof(latitude), latitude, "Latitude must be within [-90, 90] degrees.");
        }

        if (!(longitude is >= -180 and <= 180))
        {
            throw new ArgumentOutOfRangeException(nameof(longitude), longitude, "Longitude must be within [-180, 180] degrees.");
        }
    }

    private static double Normalize(double degrees) => ((degrees % 360.0) + 360.0) % 360.0;

    private static double Radians(double degrees) => degrees * Math.PI / 180.0;

    private static double Degrees(double radians) => radians * 180.0 / Math.PI;

    private static double Sin(double degrees) => Math.Sin(Radians(degrees));

    private static double Cos(double degrees) => Math.Cos(Radians(degrees));
}
