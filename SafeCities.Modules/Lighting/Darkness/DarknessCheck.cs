using System.Globalization;

namespace SafeCities.Modules.Lighting.Darkness;

/// <summary>Whether it is dark at a place and instant (sun more than 6° below the horizon), with a reason command staff can read.</summary>
/// <param name="Sun">"sun 12° below the horizon".</param>
internal sealed record DarknessVerdict(bool IsDark, double SunElevationDegrees, DateTimeOffset? CivilDawn, DateTimeOffset? CivilDusk, string Sun, string Reason);

internal static class DarknessCheck
{
    /// <summary>
    /// Dawn and dusk are those of the local solar day containing the instant (the date at the place's mean solar time, UTC + longitude/15 h),
    /// stated in UTC so they read the same on every screen.
    /// </summary>
    public static DarknessVerdict Evaluate(double latitude, double longitude, DateTimeOffset instant)
    {
        var elevation = SolarCalculator.SolarElevationDegrees(latitude, longitude, instant);
        var dark = elevation < SolarCalculator.CivilTwilightElevationDegrees;
        var solarDate = DateOnly.FromDateTime(instant.UtcDateTime.AddHours(longitude / 15.0));
        var dawn = SolarCalculator.CivilDawn(latitude, longitude, solarDate);
        var dusk = SolarCalculator.CivilDusk(latitude, longitude, solarDate);
        var sun = elevation >= 0
            ? $"sun {elevation.ToString("0", CultureInfo.InvariantCulture)}° above the horizon"
            : $"sun {(-elevation).ToString("0", CultureInfo.InvariantCulture)}° below the horizon";
        var twilight = (dawn, dusk) switch
        {
            ({ } a, { } b) => $"civil dawn {Utc(a)}, civil dusk {Utc(b)}",
            _ when dark => "the sun stays below −6° all day here (polar night)",
            _ => "the sun stays above −6° all day here (midnight sun)",
        };
        var reason = dark
            ? $"Dark at {Utc(instant)} ({sun}; {twilight})"
            : $"Daylight at this place and time ({Utc(instant)}, {sun}; {twilight})";
        return new DarknessVerdict(dark, elevation, dawn, dusk, sun, reason);
    }

    public static string Utc(DateTimeOffset t) => t.ToUniversalTime().ToString("HH:mm", CultureInfo.InvariantCulture) + " UTC";
}
