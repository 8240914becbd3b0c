using SafeCities.Modules.Lighting.Darkness;

namespace SafeCities.Tests.Unit.Lighting;

public sealed class DarknessCheckTests
{
    private const double Latitude = 38.8951, Longitude = -77.0364; // Washington, D.C.

    [Fact]
    public void Noon_in_washington_is_daylight_and_the_reason_gives_that_days_civil_dawn_and_dusk_relative_to_the_instant()
    {
        var verdict = DarknessCheck.Evaluate(Latitude, Longitude, new DateTimeOffset(2026, 12, 21, 17, 0, 0, TimeSpan.Zero));
        Assert.False(verdict.IsDark);
        // December solstice: civil dawn ≈ 11:53 UTC (06:53 EST), civil dusk ≈ 22:20 UTC (17:20 EST).
        // Relative to 17:00 UTC: dawn 5 h 0x min ago, dusk in 5 h 1x–2x min; no clock time in the text (the page shows times in city time).
        Assert.Matches(@"^Daylight at this place and time \(sun 2[5-9]° above the horizon; civil dawn 5 h 0\d min ago, civil dusk in 5 h [12]\d min\)$", verdict.Reason);
        Assert.Equal(11, verdict.CivilDawn!.Value.UtcDateTime.Hour);
    }

    [Fact]
    public void Late_evening_is_dark_and_the_days_dusk_is_the_one_before_it()
    {
        // 23:30 EST on 21 December is 04:30 UTC on the 22nd, still the 21st at the place: its dusk (22:20 UTC on the 21st) is reported.
        var verdict = DarknessCheck.Evaluate(Latitude, Longitude, new DateTimeOffset(2026, 12, 22, 4, 30, 0, TimeSpan.Zero));
        Assert.True(verdict.IsDark);
        Assert.True(verdict.SunElevationDegrees < -6);
        Assert.Equal(new DateOnly(2026, 12, 21), DateOnly.FromDateTime(verdict.CivilDusk!.Value.UtcDateTime));
        Assert.StartsWith("Dark at this place and time (sun ", verdict.Reason);
        Assert.Contains("civil dusk 6 h 1", verdict.Reason); // 22:20 UTC on the 21st, ≈ 6 h 10 min before 04:30 UTC
        Assert.EndsWith(" ago)", verdict.Reason);
    }

    [Fact]
    public void Civil_twilight_still_counts_as_light()
    {
        // Twenty minutes before civil dusk the sun has set but is less than 6° down: not yet dark.
        var dusk = SolarCalculator.CivilDusk(Latitude, Longitude, new DateOnly(2026, 3, 15))!.Value;
        Assert.False(DarknessCheck.Evaluate(Latitude, Longitude, dusk.AddMinutes(-20)).IsDark);
        Assert.True(DarknessCheck.Evaluate(Latitude, Longitude, dusk.AddMinutes(5)).IsDark);
    }

    [Fact]
    public void Polar_day_and_night_are_explained()
    {
        Assert.Contains("midnight sun", DarknessCheck.Evaluate(78.22, 15.65, new DateTimeOffset(2026, 6, 21, 23, 0, 0, TimeSpan.Zero)).Reason);
        var night = DarknessCheck.Evaluate(78.22, 15.65, new DateTimeOffset(2026, 12, 21, 11, 0, 0, TimeSpan.Zero));
        Assert.True(night.IsDark);
        Assert.Contains("polar night", night.Reason);
    }
}
