using SafeCities.Modules.Lighting.Darkness;

namespace SafeCities.Tests.Unit.Lighting;

/// <summary>
/// Reference times for Washington, D.C. (38.8951, −77.0364) are civil twilight (sun's centre at −6°, no refraction) as
/// given by the NOAA solar equations, cross-checked by a brute-force elevation scan at 30 s steps and consistent with
/// published almanac tables (June: civil dawn 05:11 / dusk 21:10 EDT; December: 06:54 / 17:19 EST). Tolerance ±3 min.
/// </summary>
public sealed class SolarCalculatorTests
{
    private const double Latitude = 38.8951;
    private const double Longitude = -77.0364;
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(3);

    private static void AssertNear(DateTimeOffset expected, DateTimeOffset? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(TimeSpan.Zero, actual.Value.Offset);
        Assert.True((actual.Value - expected).Duration() <= Tolerance, $"expected {expected:O}, got {actual:O}");
    }

    [Fact]
    public void Washington_summer_solstice_dawn_and_dusk()
    {
        var date = new DateOnly(2026, 6, 21);
        AssertNear(new DateTimeOffset(2026, 6, 21, 9, 11, 0, TimeSpan.Zero), SolarCalculator.CivilDawn(Latitude, Longitude, date));
        AssertNear(new DateTimeOffset(2026, 6, 22, 1, 9, 30, TimeSpan.Zero), SolarCalculator.CivilDusk(Latitude, Longitude, date));
    }

    [Fact]
    public void Washington_winter_solstice_dawn_and_dusk()
    {
        var date = new DateOnly(2026, 12, 21);
        AssertNear(new DateTimeOffset(2026, 12, 21, 11, 53, 30, TimeSpan.Zero), SolarCalculator.CivilDawn(Latitude, Longitude, date));
        AssertNear(new DateTimeOffset(2026, 12, 21, 22, 20, 0, TimeSpan.Zero), SolarCalculator.CivilDusk(Latitude, Longitude, date));
    }

    [Theory]
    [InlineData("2026-06-21T16:00:00Z", false)] // noon EDT
    [InlineData("2026-06-22T03:00:00Z", true)] // 23:00 EDT
    [InlineData("2026-06-22T01:00:00Z", false)] // civil twilight still on (dusk ≈ 01:09)
    [InlineData("2026-06-22T01:20:00Z", true)]
    [InlineData("2026-12-21T11:45:00Z", true)] // before civil dawn ≈ 11:53
    [InlineData("2026-12-21T12:05:00Z", false)]
    [InlineData("2026-12-21T22:10:00Z", false)] // before civil dusk ≈ 22:20
    [InlineData("2026-12-21T22:30:00Z", true)]
    public void IsDark_in_Washington(string instant, bool dark) =>
        Assert.Equal(dark, SolarCalculator.IsDark(Latitude, Longitude, DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void IsDark_agrees_with_dawn_and_dusk_on_either_side()
    {
        var date = new DateOnly(2026, 3, 15);
        var dawn = SolarCalculator.CivilDawn(Latitude, Longitude, date)!.Value;
        var dusk = SolarCalculator.CivilDusk(Latitude, Longitude, date)!.Value;

        Assert.True(SolarCalculator.IsDark(Latitude, Longitude, dawn.AddMinutes(-2)));
        Assert.False(SolarCalculator.IsDark(Latitude, Longitude, dawn.AddMinutes(2)));
        Assert.False(SolarCalculator.IsDark(Latitude, Longitude, dusk.AddMinutes(-2)));
        Assert.True(SolarCalculator.IsDark(Latitude, Longitude, dusk.AddMinutes(2)));
        Assert.Equal(-6.0, SolarCalculator.SolarElevationDegrees(Latitude, Longitude, dusk), 0.05);
    }

    [Fact]
    public void Instants_with_an_offset_are_treated_as_the_same_moment()
    {
        var utc = new DateTimeOffset(2026, 6, 22, 3, 0, 0, TimeSpan.Zero);
        var local = utc.ToOffset(TimeSpan.FromHours(-4));

        Assert.Equal(SolarCalculator.SolarElevationDegrees(Latitude, Longitude, utc), SolarCalculator.SolarElevationDegrees(Latitude, Longitude, local));
    }

    [Fact]
    public void Polar_night_and_midnight_sun_have_no_civil_twilight()
    {
        const double svalbardLatitude = 78.22;
        const double svalbardLongitude = 15.65;

        Assert.Null(SolarCalculator.CivilDawn(svalbardLatitude, svalbardLongitude, new DateOnly(2026, 12, 21)));
        Assert.Null(SolarCalculator.CivilDusk(svalbardLatitude, svalbardLongitude, new DateOnly(2026, 12, 21)));
        Assert.True(SolarCalculator.IsDark(svalbardLatitude, svalbardLongitude, new DateTimeOffset(2026, 12, 21, 11, 0, 0, TimeSpan.Zero)));

        Assert.Null(SolarCalculator.CivilDawn(svalbardLatitude, svalbardLongitude, new DateOnly(2026, 6, 21)));
        Assert.Null(SolarCalculator.CivilDusk(svalbardLatitude, svalbardLongitude, new DateOnly(2026, 6, 21)));
        Assert.False(SolarCalculator.IsDark(svalbardLatitude, svalbardLongitude, new DateTimeOffset(2026, 6, 21, 23, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Southern_hemisphere_has_long_december_days()
    {
        // Sydney (−33.87, 151.21): from civil dawn to civil dusk is about 15.4 h at the December solstice (hour angle at −6°).
        var date = new DateOnly(2026, 12, 21);
        var dawn = SolarCalculator.CivilDawn(-33.87, 151.21, date)!.Value;
        var dusk = SolarCalculator.CivilDusk(-33.87, 151.21, date)!.Value;

        Assert.InRange((dusk - dawn).TotalHours, 15.3, 15.5);
    }

    [Fact]
    public void Invalid_coordinates_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SolarCalculator.IsDark(91, 0, DateTimeOffset.UnixEpoch));
        Assert.Throws<ArgumentOutOfRangeException>(() => SolarCalculator.CivilDawn(0, 181, new DateOnly(2026, 1, 1)));
    }
}
