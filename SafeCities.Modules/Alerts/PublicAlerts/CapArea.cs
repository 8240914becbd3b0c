using System.Globalization;
using NetTopologySuite.Geometries;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Modules.Alerts.PublicAlerts;

/// <summary>CAP areas: the "lat,lon lat,lon …" polygon and "lat,lon radius-km" circle formats (CAP 1.2 §3.2.4), and their geometry.</summary>
internal static class CapArea
{
    /// <summary>Points of the polygon a circle is shaped as (plus the closing point): IPAWS receivers that take polygons only get this.</summary>
    public const int CircleVertices = 40;

    /// <summary>The polygon as CAP writes it, closed: the first point repeated at the end.</summary>
    public static string FormatPolygon(IReadOnlyList<GeoPointDto> points)
    {
        var closed = Closed(points);
        return string.Join(' ', closed.Select(p => $"{Coordinate(p.Latitude)},{Coordinate(p.Longitude)}"));
    }

    public static IReadOnlyList<GeoPointDto> ParsePolygon(string polygon) =>
        polygon.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(pair =>
        {
            var parts = pair.Split(',');
            return new GeoPointDto(double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture));
        }).ToList();

    /// <summary>A CAP polygon's points ("lat,lon lat,lon …"), or null when a pair is not two finite numbers (for messages from elsewhere).</summary>
    public static IReadOnlyList<GeoPointDto>? TryParsePolygon(string polygon)
    {
        var points = new List<GeoPointDto>();
        foreach (var pair in polygon.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (TryPoint(pair) is not { } point)
                return null;
            points.Add(point);
        }
        return points;
    }

    /// <summary>A CAP circle ("lat,lon radius-km"), or null when it is not a valid point and a finite, non-negative radius.</summary>
    public static (GeoPointDto Centre, double RadiusMeters)? TryParseCircle(string circle)
    {
        var parts = circle.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || TryPoint(parts[0]) is not { } centre
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var km) || !double.IsFinite(km) || km < 0)
            return null;
        return (centre, km * 1000);
    }

    private static GeoPointDto? TryPoint(string pair)
    {
        var parts = pair.Split(',');
        return parts.Length == 2
               && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var lat) && double.IsFinite(lat) && Math.Abs(lat) <= 90
               && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var lon) && double.IsFinite(lon) && Math.Abs(lon) <= 180
            ? new GeoPointDto(lat, lon)
            : null;
    }

    public static string FormatCircle(double latitude, double longitude, double radiusMeters) =>
        $"{Coordinate(latitude)},{Coordinate(longitude)} {(radiusMeters / 1000).ToString("0.###", CultureInfo.InvariantCulture)}";

    /// <summary>The circle as a closed polygon of <see cref="CircleVertices"/> points plus the closing one.</summary>
    public static IReadOnlyList<GeoPointDto> CirclePolygon(double latitude, double longitude, double radiusMeters) =>
        Closed([.. Enumerable.Range(0, CircleVertices).Select(i =>
        {
            var (lat, lon) = GeoMath.Offset(latitude, longitude, radiusMeters, 360.0 * i / CircleVertices);
            return new GeoPointDto(Math.Round(lat, 6), Math.Round(lon, 6));
        })]);

    /// <summary>The points with the first repeated at the end (unless it already is).</summary>
    public static IReadOnlyList<GeoPointDto> Closed(IReadOnlyList<GeoPointDto> points) =>
        points.Count > 0 && points[0] != points[^1] ? [.. points, points[0]] : points;

    /// <summary>A WGS 84 polygon of closed points (longitude first, as PostGIS wants).</summary>
    public static Polygon Geometry(IReadOnlyList<GeoPointDto> closedPoints) =>
        GeoMath.Factory.CreatePolygon(closedPoints.Select(p => new Coordinate(p.Longitude, p.Latitude)).ToArray());

    /// <summary>Why the drawn polygon cannot be an alert area (too few points, crossing itself), or null.</summary>
    public static string? PolygonRefusal(IReadOnlyList<GeoPointDto> points, int maxPoints)
    {
        if (points.Any(p => p is null || !double.IsFinite(p.Latitude) || !double.IsFinite(p.Longitude) || Math.Abs(p.Latitude) > 90 || Math.Abs(p.Longitude) > 180))
            return "Every point needs a latitude in [-90, 90] and a longitude in [-180, 180].";
        var closed = Closed(points);
        if (closed.Distinct().Count() < 3)
            return "A polygon needs at least 3 different points.";
        if (closed.Count > maxPoints)
            return $"A polygon may have at most {maxPoints} points (the closing point counted); it has {closed.Count}.";
        var polygon = Geometry(closed);
        if (!polygon.IsValid || !polygon.Shell.IsSimple)
            return "The polygon crosses itself: draw its edges so that none crosses another.";
        if (polygon.Area <= 0)
            return "The polygon encloses no area.";
        return null;
    }

    private static string Coordinate(double value) => Math.Round(value, 6).ToString("0.######", CultureInfo.InvariantCulture);
}
