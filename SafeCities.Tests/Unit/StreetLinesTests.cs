using SafeCities.Modules.Platform.Addresses;

namespace SafeCities.Tests.Unit;

/// <summary>The street map's lines (ADR 0066): house numbers read as people write them, Douglas–Peucker within its tolerance.</summary>
public sealed class StreetLinesTests
{
    [Theory]
    [InlineData("1200", 1200L)]
    [InlineData("1200A", 1200L)]
    [InlineData("1200-1204", 1200L)]
    [InlineData("0", 0L)]
    [InlineData("A12", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    [InlineData("1234567890123", null)]
    public void The_leading_digits_are_the_house_number(string? written, long? number) => Assert.Equal(number, StreetLines.HouseNumber(written));

    [Fact]
    public void A_straight_street_keeps_its_ends_and_a_bend_beyond_the_tolerance_is_kept()
    {
        // 0.00001° of latitude is about 1.1 m: points 1 m off a straight line go; a corner 50 m off stays.
        var straight = Enumerable.Range(0, 20).Select(i => new[] { 38.9 + (i % 2) * 0.00001, -77.0 + i * 0.0002 }).ToList();
        Assert.Equal([straight[0], straight[^1]], StreetLines.Simplify(straight));
        List<double[]> corner = [[38.9, -77.0], [38.9, -76.999], [38.9, -76.998], [38.9045, -76.998], [38.909, -76.998]];
        Assert.Equal([corner[0], corner[2], corner[4]], StreetLines.Simplify(corner));
    }

    [Fact]
    public void Points_of_a_street_more_than_250_m_apart_make_two_lines_and_a_lone_point_none()
    {
        StreetPoint At(string number, double lon) => new(number, "Main St", null, 38.9, lon);
        var lines = StreetLines.Build([At("10", -77.0), At("12", -76.9995), At("14", -76.999), At("500", -76.99), At("502", -76.9895), At("900", -76.95)]);
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.Equal("Main St", l.Name));
        Assert.Equal([-77.0, -76.99], lines.Select(l => l.Points[0][1]));
    }
}
