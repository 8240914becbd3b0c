using SafeCities.Modules.Shared.Geo;
using SafeCities.Modules.Video.Domain;

namespace SafeCities.Tests.Unit.Video;

public sealed class CameraGeometryTests
{
    private const double IncidentLat = 40.0, IncidentLon = -100.0;

    private static Camera At(string name, double meters, double bearingFromIncident, string type = Camera.Ptz, double range = 300, double? heading = null,
        double? fov = null, double? panMin = null, double? panMax = null, double mount = 6, double tiltMin = -90, double tiltMax = 20)
    {
        var (lat, lon) = GeoMath.Offset(IncidentLat, IncidentLon, meters, bearingFromIncident);
        return new Camera
        {
            Id = Guid.NewGuid(), Name = name, Latitude = lat, Longitude = lon, Location = GeoMath.Point(lat, lon), Type = type, RangeMeters = range,
            HeadingDegrees = heading, FieldOfViewDegrees = fov, PanMinDegrees = panMin, PanMaxDegrees = panMax, MountHeightMeters = mount,
            TiltMinDegrees = tiltMin, TiltMaxDegrees = tiltMax,
        };
    }

    [Theory]
    [InlineData(350, 10, 20)]
    [InlineData(10, 350, 20)]
    [InlineData(0, 180, 180)]
    [InlineData(90, 90, 0)]
    [InlineData(-10, 10, 20)]
    [InlineData(720, 0, 0)]
    [InlineData(359.5, 0.5, 1)]
    [InlineData(45, 315, 90)]
    public void The_angle_between_bearings_is_the_short_way_round(double a, double b, double expected) =>
        Assert.Equal(expected, CameraGeometry.AngleBetween(a, b), 9);

    [Theory]
    [InlineData(null, null, 123, true)]     // no range: 360°
    [InlineData(45.0, 135.0, 90, true)]
    [InlineData(45.0, 135.0, 45, true)]     // ends are inside
    [InlineData(45.0, 135.0, 135, true)]
    [InlineData(45.0, 135.0, 44.9, false)]
    [InlineData(45.0, 135.0, 200, false)]
    [InlineData(300.0, 60.0, 0, true)]      // wraps through north
    [InlineData(300.0, 60.0, 330, true)]
    [InlineData(300.0, 60.0, 59, true)]
    [InlineData(300.0, 60.0, 90, false)]
    [InlineData(300.0, 60.0, 180, false)]
    [InlineData(0.0, 360.0, 271, true)]     // all round
    [InlineData(90.0, 270.0, 0, false)]     // the southern half cannot look north
    public void A_pan_range_runs_clockwise_from_min_to_max(double? min, double? max, double bearing, bool included) =>
        Assert.Equal(included, CameraGeometry.PanRangeIncludes(min, max, bearing));

    [Fact]
    public void Tilt_looks_down_from_the_mount_height_and_stays_within_the_tilt_range()
    {
        // −atan(6 / 100) = −3.4336°
        Assert.Equal(-3.4336, CameraGeometry.TiltDegrees(6, 100, -90, 20), 4);
        Assert.Equal(-45, CameraGeometry.TiltDegrees(10, 10, -90, 20), 9);
        Assert.Equal(-90, CameraGeometry.TiltDegrees(6, 0, -90, 20), 9);
        Assert.Equal(-30, CameraGeometry.TiltDegrees(6, 1, -30, 20), 9);        // clamped to tilt min
        Assert.Equal(-5, CameraGeometry.TiltDegrees(6, 1000, -60, -5), 9);       // clamped to tilt max
    }

    [Theory]
    [InlineData(100, 115, 90.0, 60.0, 150, true)]    // 25° off a 60° view: inside
    [InlineData(100, 120, 90.0, 60.0, 150, true)]    // exactly on the edge
    [InlineData(100, 125, 90.0, 60.0, 150, false)]   // 35° off: outside the cone
    [InlineData(100, 5, 350.0, 40.0, 150, true)]     // across north: 15° off a 40° view
    [InlineData(100, 355, 10.0, 40.0, 150, true)]    // the other way across north
    [InlineData(100, 15, 350.0, 40.0, 150, false)]   // 25° off
    [InlineData(100, 330, 10.0, 40.0, 150, false)]   // 40° off
    [InlineData(151, 90, 90.0, 60.0, 150, false)]    // dead ahead but beyond range
    [InlineData(100, 90, null, 60.0, 150, false)]    // no heading: cannot tell
    [InlineData(0.5, 270, 90.0, 60.0, 150, true)]    // on the spot
    public void A_fixed_camera_covers_points_within_range_and_half_its_field_of_view(double distance, double bearing, double? heading, double? fov,
        double range, bool covers) =>
        Assert.Equal(covers, CameraGeometry.FixedCovers(distance, bearing, heading, fov, range));

    [Fact]
    public void Ptz_cameras_point_along_hand_computed_bearings_nearest_first()
    {
        var south = At("south 100 m", 100, 180);     // looks north: 0°
        var west = At("west 150 m", 150, 270);       // looks east: 90°
        var northEast = At("north-east 60 m", 60, 45); // looks south-west: 225°
        var north = At("north 250 m", 250, 0, mount: 10); // looks south: 180°
        var far = At("east 400 m", 400, 90);         // beyond its 300 m range

        var plan = CameraGeometry.Plan([south, west, northEast, north, far], IncidentLat, IncidentLon, maxPtz: 10);

        Assert.Equal(["north-east 60 m", "south 100 m", "west 150 m", "north 250 m"], plan.Ptz.Select(p => p.Camera.Name));
        Assert.All(plan.Ptz, p => Assert.Equal(CameraDecision.Turn, p.Decision));
        var bearings = plan.Ptz.ToDictionary(p => p.Camera.Name, p => p.BearingDegrees);
        Assert.Equal(225, bearings["north-east 60 m"], 1);
        Assert.Equal(0, bearings["south 100 m"], 6);
        Assert.Equal(90, bearings["west 150 m"], 1);
        Assert.Equal(180, bearings["north 250 m"], 6);
        Assert.Equal(100, plan.Ptz[1].DistanceMeters, 1);
        Assert.Equal(-3.4336, plan.Ptz[1].TiltDegrees!.Value, 3);
        Assert.Equal(-Math.Atan(10 / 250.0) * 180 / Math.PI, plan.Ptz[3].TiltDegrees!.Value, 3);
        Assert.Equal(60, plan.NearestCameraMeters!.Value, 1);
        Assert.Empty(plan.Covering);
        Assert.True(plan.AnyCanSee);
    }

    [Fact]
    public void Ptz_cameras_beyond_the_limit_and_outside_their_pan_range_are_not_turned()
    {
        var blind = At("blind", 30, 180, panMin: 90, panMax: 270); // must look north (0°), can only look south
        var wraps = At("wraps", 40, 180, panMin: 300, panMax: 60);  // north is within 300→60
        var second = At("second", 50, 90);
        var third = At("third", 70, 0);

        var plan = CameraGeometry.Plan([third, second, wraps, blind], IncidentLat, IncidentLon, maxPtz: 2);

        Assert.Equal([("blind", CameraDecision.OutOfPanRange), ("wraps", CameraDecision.Turn), ("second", CameraDecision.Turn), ("third", CameraDecision.OverLimit)],
            plan.Ptz.Select(p => (p.Camera.Name, p.Decision)));
    }

    [Fact]
    public void Fixed_cameras_are_listed_only_when_their_view_covers_the_point()
    {
        var covers = At("covers", 100, 180, Camera.Fixed, range: 150, heading: 10, fov: 40);           // looks 10°, needs 0°
        var acrossNorth = At("across north", 110, 180, Camera.Fixed, range: 150, heading: 350, fov: 40); // needs 0°, 10° off
        var tooNarrow = At("too narrow", 120, 180, Camera.Fixed, range: 150, heading: 340, fov: 30);    // 20° off a 30° view
        var tooFar = At("too far", 200, 180, Camera.Fixed, range: 150, heading: 0, fov: 90);
        var facingAway = At("facing away", 90, 270, Camera.Fixed, range: 150, heading: 270, fov: 60);  // needs 90°

        var plan = CameraGeometry.Plan([tooFar, tooNarrow, acrossNorth, covers, facingAway], IncidentLat, IncidentLon, maxPtz: 10);

        Assert.Equal(["covers", "across north"], plan.Covering.Select(c => c.Camera.Name));
        Assert.All(plan.Covering, c => Assert.Null(c.TiltDegrees));
        Assert.Equal(2, plan.FixedFacingAway); // too narrow, facing away (too far is out of range)
        Assert.Empty(plan.Ptz);
    }

    [Fact]
    public void Nothing_in_range_means_no_camera_can_see_it()
    {
        var plan = CameraGeometry.Plan([At("blind ptz", 50, 180, panMin: 90, panMax: 270), At("away", 50, 0, Camera.Fixed, heading: 0, fov: 60)],
            IncidentLat, IncidentLon, 10);
        Assert.False(plan.AnyCanSee);
        Assert.False(CameraGeometry.Plan([], IncidentLat, IncidentLon, 10).AnyCanSee);
    }
}
