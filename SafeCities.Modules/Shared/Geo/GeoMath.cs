using NetTopologySuite.Geometries;

namespace SafeCities.Modules.Shared.Geo;

public static class GeoMath
{
    public const double EarthRadiusMeters = 6_371_008.8;
    /// <summary>The one factory of WGS 84 geometries (SRID 4326): points here, district polygons in Platform.</summary>
    public static readonly GeometryFactory Factory = NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory(srid: 4326);

    /// <summary>A WGS 84 point (PostGIS geography), longitude first as PostGIS expects.</summary>
    public static Point Point(double latitude, double longitude) => Factory.CreatePoint(new Coordinate(longitude, latitude));

    /// <summary>Great-circle distance in metres (haversine).</summary>
    public static double DistanceMeters(double lat1, double lon1, double lat2, double lon2)
    {
        var dLat = ToRadians(lat2 - lat1);
        var dLon = ToRadians(lon2 - lon1);
        var a = Math.Pow(Math.Sin(dLat / 2), 2) + Math.Cos(ToRadians(lat1)) * Math.Cos(ToRadians(lat2)) * Math.Pow(Math.Sin(dLon / 2), 2);
        return 2 * EarthRadiusMeters * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    /// <summary>Initial bearing from the first point to the second, degrees clockwise from north (0–360).</summary>
    public static double BearingDegrees(double lat1, double lon1, double lat2, double lon2)
    {
        var φ1 = ToRadians(lat1);
        var φ2 = ToRadians(lat2);
        var Δλ = ToRadians(lon2 - lon1);
        var y = Math.Sin(Δλ) * Math.Cos(φ2);
        var x = Math.Cos(φ1) * Math.Sin(φ2) - Math.Sin(φ1) * Math.Cos(φ2) * Math.Cos(Δλ);
        return (Math.Atan2(y, x) * 180 / Math.PI + 360) % 360;
    }

    /// <summary>The point at a distance and bearing from a start point.</summary>
    public static (double Latitude, double Longitude) Offset(double latitude, double longitude, double meters, double bearingDegrees)
    {
        var δ = meters / EarthRadiusMeters;
        var θ = ToRadians(bearingDegrees);
        var φ1 = ToRadians(latitude);
        var λ1 = ToRadians(longitude);
        var φ2 = Math.Asin(Math.Sin(φ1) * Math.Cos(δ) + Math.Cos(φ1) * Math.Sin(δ) * Math.Cos(θ));
        var λ2 = λ1 + Math.Atan2(Math.Sin(θ) * Math.Sin(δ) * Math.Cos(φ1), Math.Cos(δ) - Math.Sin(φ1) * Math.Sin(φ2));
        return (φ2 * 180 / Math.PI, (λ2 * 180 / Math.PI + 540) % 360 - 180);
    }

    private static double ToRadians(double degrees) => degrees * Math.PI / 180;
}
