namespace SafeCities.Modules.Sensors.Location;

/// <summary>
/// A local east-north-up tangent plane (metres) around a reference point: accurate to centimetres over the few kilometres
/// an acoustic array spans, which is all multilateration needs.
/// </summary>
internal sealed class LocalFrame(double originLatitude, double originLongitude)
{
    private const double MetersPerDegree = Shared.Geo.GeoMath.EarthRadiusMeters * Math.PI / 180;
    private readonly double cosLatitude = Math.Cos(originLatitude * Math.PI / 180);

    public static LocalFrame Around(IEnumerable<(double Latitude, double Longitude)> points)
    {
        var list = points.ToList();
        return new LocalFrame(list.Average(p => p.Latitude), list.Average(p => p.Longitude));
    }

    public Point3 ToLocal(double latitude, double longitude, double elevationMeters) =>
        new((longitude - originLongitude) * MetersPerDegree * cosLatitude, (latitude - originLatitude) * MetersPerDegree, elevationMeters);

    public (double Latitude, double Longitude) ToGeographic(Point3 point) =>
        (originLatitude + point.Y / MetersPerDegree, originLongitude + point.X / (MetersPerDegree * cosLatitude));
}
