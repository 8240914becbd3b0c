using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Modules.Video.Domain;

/// <summary>
/// Which cameras can see a point, and where a PTZ must point: pure geometry (no I/O), so it is unit-tested by itself.
/// Bearings are compass degrees clockwise from north, from the camera toward the point; tilt is degrees, negative below horizontal.
/// </summary>
internal static class CameraGeometry
{
    /// <summary>The longest camera range accepted at registration.</summary>
    public const double MaxRangeMeters = 5000;
    /// <summary>Closer than this, the camera is on the spot: every direction "sees" it.</summary>
    public const double OnTheSpotMeters = 1;
    private const double Epsilon = 1e-9;

    public static double Normalize(double degrees) => (degrees % 360 + 360) % 360;

    /// <summary>The smallest angle between two bearings (0–180), across north (350° and 10° are 20° apart).</summary>
    public static double AngleBetween(double a, double b)
    {
        var d = Math.Abs(Normalize(a) - Normalize(b));
        return d > 180 ? 360 - d : d;
    }

    /// <summary>Compass bearing from a camera to a point, 0 ≤ b &lt; 360, with floating-point dust removed (due north is 0, never 359.9999999999).</summary>
    public static double BearingDegrees(double fromLat, double fromLon, double toLat, double toLon) =>
        Math.Round(GeoMath.BearingDegrees(fromLat, fromLon, toLat, toLon), 6) % 360;

    /// <summary>Whether a PTZ can pan to a bearing: its range runs clockwise from min to max (wrapping through north); none = 360°.</summary>
    public static bool PanRangeIncludes(double? panMin, double? panMax, double bearing)
    {
        if (panMin is not { } min || panMax is not { } max)
            return true;
        var width = Normalize(max - min);
        if (width < Epsilon)
            return true; // 0 → 360: all round
        return Normalize(bearing - min) <= width + Epsilon;
    }

    /// <summary>Tilt from a lens at <paramref name="mountHeightMeters"/> down to street level at a horizontal distance, clamped to the camera's range.</summary>
    public static double TiltDegrees(double mountHeightMeters, double horizontalMeters, double tiltMin, double tiltMax) =>
        Math.Clamp(-Math.Atan2(mountHeightMeters, Math.Max(0, horizontalMeters)) * 180 / Math.PI, tiltMin, tiltMax);

    /// <summary>A fixed camera covers a point within its range whose bearing is within half its field of view of its heading.</summary>
    public static bool FixedCovers(double distanceMeters, double bearing, double? headingDegrees, double? fieldOfViewDegrees, double rangeMeters)
    {
        if (distanceMeters > rangeMeters || headingDegrees is not { } heading || fieldOfViewDegrees is not { } fov)
            return false;
        return distanceMeters < OnTheSpotMeters || AngleBetween(bearing, heading) <= fov / 2 + Epsilon;
    }

    /// <summary>
    /// What each camera near a point should do: PTZ cameras within their own range, nearest first, are turned (up to
    /// <paramref name="maxPtz"/>) unless their pan range excludes the bearing; fixed cameras whose view covers it are listed.
    /// </summary>
    public static CameraPlan Plan(IEnumerable<Camera> cameras, double latitude, double longitude, int maxPtz)
    {
        var ptz = new List<CameraAssessment>();
        var covering = new List<CameraAssessment>();
        double? nearest = null;
        var fixedFacingAway = 0;
        foreach (var c in cameras)
        {
            var distance = GeoMath.DistanceMeters(c.Latitude, c.Longitude, latitude, longitude);
            var bearing = distance < OnTheSpotMeters ? 0 : BearingDegrees(c.Latitude, c.Longitude, latitude, longitude);
            nearest = nearest is null ? distance : Math.Min(nearest.Value, distance);
            if (distance > c.RangeMeters)
                continue;
            if (c.Type == Camera.Ptz)
            {
                var tilt = TiltDegrees(c.MountHeightMeters, distance, c.TiltMinDegrees, c.TiltMaxDegrees);
                var canPan = distance < OnTheSpotMeters || PanRangeIncludes(c.PanMinDegrees, c.PanMaxDegrees, bearing);
                ptz.Add(new CameraAssessment(c, distance, bearing, tilt, canPan ? CameraDecision.Turn : CameraDecision.OutOfPanRange));
            }
            else if (FixedCovers(distance, bearing, c.HeadingDegrees, c.FieldOfViewDegrees, c.RangeMeters))
                covering.Add(new CameraAssessment(c, distance, bearing, null, CameraDecision.Cover));
            else
                fixedFacingAway++;
        }
        var turned = 0;
        var orderedPtz = ptz.OrderBy(a => a.DistanceMeters).ThenBy(a => a.Camera.Id)
            .Select(a => a.Decision == CameraDecision.Turn && ++turned > maxPtz ? a with { Decision = CameraDecision.OverLimit } : a)
            .ToList();
        return new CameraPlan(orderedPtz, covering.OrderBy(a => a.DistanceMeters).ThenBy(a => a.Camera.Id).ToList(), nearest, fixedFacingAway);
    }
}

internal enum CameraDecision
{
    /// <summary>PTZ: point it at the incident, then bookmark.</summary>
    Turn,
    /// <summary>Fixed: already sees it; bookmark.</summary>
    Cover,
    OutOfPanRange,
    OverLimit,
}

internal sealed record CameraAssessment(Camera Camera, double DistanceMeters, double BearingDegrees, double? TiltDegrees, CameraDecision Decision);

/// <param name="Ptz">PTZ cameras within their range, nearest first.</param>
/// <param name="Covering">Fixed cameras whose view covers the point, nearest first.</param>
/// <param name="NearestCameraMeters">The nearest camera considered, whatever it can see.</param>
/// <param name="FixedFacingAway">Fixed cameras within range that point elsewhere.</param>
internal sealed record CameraPlan(IReadOnlyList<CameraAssessment> Ptz, IReadOnlyList<CameraAssessment> Covering, double? NearestCameraMeters,
    int FixedFacingAway)
{
    /// <summary>A fixed camera covers the point, or a PTZ can be turned to it.</summary>
    public bool AnyCanSee => Covering.Count > 0 || Ptz.Any(p => p.Decision is CameraDecision.Turn or CameraDecision.OverLimit);
}
