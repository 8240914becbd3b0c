using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Modules.Sensors.Location;

/// <summary>
/// A local east-north-up frame (metres) around a reference point: the shared tangent plane (<see cref="LocalPlane"/>) with the
/// sensors' elevation as up, which is all multilateration needs.
/// </summary>
internal sealed class LocalFrame(LocalPlane plane)
{
    public static LocalFrame Around(IEnumerable<(double Latitude, double Longitude)> points) => new(LocalPlane.Around(points));

    public Point3 ToLocal(double latitude, double longitude, double elevationMeters)
    {
        var (x, y) = plane.ToLocal(latitude, longitude);
        return new(x, y, elevationMeters);
    }

    public (double Latitude, double Longitude) ToGeographic(Point3 point) => plane.ToGeographic(point.X, point.Y);
}
