using System.Globalization;

namespace SafeCities.Modules.Lighting.Darkness;

/// <summary>Whether it is dark at a place and instant (sun more than 6° below the horizon), with a reason command staff can read.</summary>
/// <param name="Sun">"sun 12° below the horizon".</param>
internal sealed record DarknessVerdict(bool IsDark, double SunElevationDegrees, DateTimeOffset? CivilDawn, DateTimeOffset? CivilDusk, string Sun, string Reason);

internal static class DarknessCheck
{
    /// <summary>
    /// Dawn and dusk are those of the local solar day containing the instant (the date at the place's mean solar time, UTC + longitude/15 h).
    /// The reason carries no clock time (it lands on the incident's timeline, whose page shows times in the city's zone): dawn and dusk are
    /// said relative to the instant ("civil dusk in 5 h 20 min"); the instants themselves are in the verdict.
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
            ({ } a, { } b) => $"civil dawn {Relative(a, instant)}, civil dusk {Relative(b, instant)}",
            _ when dark => "the sun stays below −6° all day here (polar night)",
            _ => "the sun stays above −6° all day here (midnight sun)",
        };
        var reason = dark
            ? $"Dark at this place and time ({sun}; {twilight})"
            : $"Daylight at this place and time ({sun}; {twilight})";
        return new DarknessVerdict(dark, elevation, dawn, dusk, sun, reason);
    }

    /// <summary>"in 2 h 05 min" or "3 h 10 min ago" (whole minutes), for text that must not carry a clock time.</summary>
    public static string Relative(DateTimeOffset at, DateTimeOffset now) =>
        at >= now ? $"in {Span(at - now)}" : $"{Span(now - at)} ago";

    /// <summary>"10 min", "2 h 05 min".</summary>
    public static string Span(TimeSpan span)
    {
        var minutes = (int)Math.Round(span.TotalMinutes);
        return minutes < 60
            ? $"{minutes.ToString(CultureInfo.InvariantCulture)} min"
            : $"{(minutes / 60).ToString(CultureInfo.InvariantCulture)} h {(minutes % 60).ToString("00", CultureInfo.InvariantCulture)} min";
    }
}
