namespace SafeCities.Modules.Shared.Geo;

/// <summary>
/// A local east-north tangent plane (metres, x east, y north) around an origin: accurate to centimetres over the few kilometres an
/// acoustic array or a screen of streets spans.
/// </summary>
internal sealed class LocalPlane(double originLatitude, double originLongitude)
{
    private const double MetersPerDegree = GeoMath.EarthRadiusMeters * Math.PI / 180;
    private readonly double cosLatitude = Math.Cos(originLatitude * Math.PI / 180);

    /// <summary>The plane around the points' mean position.</summary>
    public static LocalPlane Around(IEnumerable<(double Latitude, double Longitude)> points)
    {
        var list = points.ToList();
        return new LocalPlane(list.Average(p => p.Latitude), list.Average(p => p.Longitude));
    }

    public (double X, double Y) ToLocal(double latitude, double longitude) =>
        ((longitude - originLongitude) * MetersPerDegree * cosLatitude, (latitude - originLatitude) * MetersPerDegree);

    public (double Latitude, double Longitude) ToGeographic(double x, double y) =>
        (originLatitude + y / MetersPerDegree, originLongitude + x / (MetersPerDegree * cosLatitude));
}
