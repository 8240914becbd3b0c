using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;
using NetTopologySuite.Simplify;
using SafeCities.Modules.Platform.Identity;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Modules.Shared.Input;

namespace SafeCities.Modules.Platform.Districts;

/// <summary>A district read from a GeoJSON feature.</summary>
internal sealed record DistrictShape(string Code, string Name, MultiPolygon Boundary);

/// <summary>
/// Reads police districts from a GeoJSON <c>FeatureCollection</c> (RFC 7946: WGS 84, [longitude, latitude]) and writes boundaries back as
/// GeoJSON MultiPolygon coordinates. Every problem is named with the feature's number (1-based), so an administrator can fix the file.
/// </summary>
internal static class DistrictGeoJson
{
    public const int MaxFeatures = 500;
    public const int MaxVertices = 500_000;
    private static GeometryFactory Factory => GeoMath.Factory;

    public static (IReadOnlyList<DistrictShape> Districts, IReadOnlyList<string> Errors) Parse(JsonElement json, string codeProperty, string nameProperty)
    {
        var errors = new List<string>();
        var districts = new List<DistrictShape>();
        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
            || type.GetString() != "FeatureCollection" || !json.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
            return ([], ["The file must be a GeoJSON FeatureCollection (an object with \"type\": \"FeatureCollection\" and a \"features\" array)."]);
        var count = features.GetArrayLength();
        if (count is 0 or > MaxFeatures)
            return ([], [$"A FeatureCollection of 1 to {MaxFeatures} districts is expected; this one has {count} features."]);
        var vertices = 0;
        var firstByCode = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var n = 0;
        foreach (var feature in features.EnumerateArray())
        {
            n++;
            var (shape, error) = Feature(feature, codeProperty, nameProperty, ref vertices);
            if (error is not null)
                errors.Add($"Feature {n}: {error}");
            else if (!firstByCode.TryAdd(shape!.Code, n))
                errors.Add($"Feature {n}: district code '{shape.Code}' is already used by feature {firstByCode[shape.Code]}.");
            else
                districts.Add(shape);
            if (vertices > MaxVertices)
                return ([], [$"The boundaries hold more than {MaxVertices:N0} points; simplify them before importing."]);
            if (errors.Count >= 20)
            {
                errors.Add("(further features not checked)");
                break;
            }
        }
        return errors.Count > 0 ? ([], errors) : (districts, []);
    }

    private static (DistrictShape? Shape, string? Error) Feature(JsonElement feature, string codeProperty, string nameProperty, ref int vertices)
    {
        if (feature.ValueKind != JsonValueKind.Object || !feature.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
            return (null, "it is not a GeoJSON Feature with \"properties\".");
        var code = Text(properties, codeProperty);
        if (code is null)
            return (null, $"property '{codeProperty}' (the district code) is missing or empty.");
        if (code.Length > UserAdministration.MaxDistrictLength || InputRules.TextRefusal(code, TextKind.Line) is not null)
            return (null, $"the district code must be one line of at most {UserAdministration.MaxDistrictLength} characters.");
        var name = Text(properties, nameProperty) ?? code;
        if (name.Length > 120 || InputRules.TextRefusal(name, TextKind.Line) is not null)
            return (null, "the district name must be one line of at most 120 characters.");
        if (!feature.TryGetProperty("geometry", out var geometry) || geometry.ValueKind != JsonValueKind.Object
            || !geometry.TryGetProperty("type", out var kind) || !geometry.TryGetProperty("coordinates", out var coordinates))
            return (null, "it has no geometry with \"type\" and \"coordinates\".");
        var polygons = new List<Polygon>();
        string? error;
        switch (kind.ValueKind == JsonValueKind.String ? kind.GetString() : null)
        {
            case "Polygon":
                (var polygon, error) = ReadPolygon(coordinates, ref vertices);
                if (polygon is not null)
                    polygons.Add(polygon);
                break;
            case "MultiPolygon":
                error = coordinates.ValueKind == JsonValueKind.Array && coordinates.GetArrayLength() > 0 ? null : "a MultiPolygon needs at least one polygon.";
                if (error is null)
                    foreach (var part in coordinates.EnumerateArray())
                    {
                        (var p, error) = ReadPolygon(part, ref vertices);
                        if (p is null)
                            break;
                        polygons.Add(p);
                    }
                break;
            default:
                return (null, "the geometry must be a Polygon or a MultiPolygon.");
        }
        if (error is not null)
            return (null, error);
        var boundary = Factory.CreateMultiPolygon(polygons.ToArray());
        var validity = new IsValidOp(boundary).ValidationError;
        if (validity is not null)
            return (null, $"the boundary is not a valid polygon ({validity.Message} near {validity.Coordinate.Y.ToString("0.#####", CultureInfo.InvariantCulture)}, "
                          + $"{validity.Coordinate.X.ToString("0.#####", CultureInfo.InvariantCulture)}).");
        return (new DistrictShape(code, name, boundary), null);
    }

    private static string? Text(JsonElement properties, string property) =>
        properties.TryGetProperty(property, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String when !string.IsNullOrWhiteSpace(value.GetString()) => value.GetString()!.Trim(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    private static (Polygon? Polygon, string? Error) ReadPolygon(JsonElement rings, ref int vertices)
    {
        if (rings.ValueKind != JsonValueKind.Array || rings.GetArrayLength() == 0)
            return (null, "a polygon needs at least its outer ring.");
        var linear = new List<LinearRing>();
        foreach (var ring in rings.EnumerateArray())
        {
            if (ring.ValueKind != JsonValueKind.Array || ring.GetArrayLength() < 4)
                return (null, "a ring needs at least four positions (the first repeated last).");
            var points = new List<Coordinate>();
            foreach (var position in ring.EnumerateArray())
            {
                if (position.ValueKind != JsonValueKind.Array || position.GetArrayLength() < 2
                    || position[0].ValueKind != JsonValueKind.Number || position[1].ValueKind != JsonValueKind.Number)
                    return (null, "a position must be [longitude, latitude] numbers.");
                var (lon, lat) = (position[0].GetDouble(), position[1].GetDouble());
                if (lon is < -180 or > 180 || lat is < -90 or > 90)
                    return (null, $"position [{lon.ToString(CultureInfo.InvariantCulture)}, {lat.ToString(CultureInfo.InvariantCulture)}] is not "
                                  + "[longitude, latitude] in degrees (GeoJSON puts the longitude first).");
                points.Add(new Coordinate(lon, lat));
                vertices++;
            }
            if (!points[0].Equals2D(points[^1]))
                return (null, "a ring must end where it starts.");
            linear.Add(Factory.CreateLinearRing(points.ToArray()));
        }
        return (Factory.CreatePolygon(linear[0], linear.Skip(1).ToArray()), null);
    }

    /// <summary>How far (degrees, about a metre) a vertex may lie from the line through its neighbours and be left out of a boundary drawn
    /// on a map: below a pixel up to zoom 17, where a city's file often has a vertex every metre or two along a curved street.</summary>
    public const double DisplayTolerance = 0.00001;

    /// <summary>A boundary as GeoJSON MultiPolygon coordinates (polygons → rings → [longitude, latitude]); <paramref name="forDisplay"/>:
    /// simplified within <see cref="DisplayTolerance"/> (keeping every ring a valid ring) and rounded to 6 decimals.</summary>
    public static double[][][][] Coordinates(MultiPolygon boundary, bool forDisplay = false)
    {
        var shape = forDisplay ? TopologyPreservingSimplifier.Simplify(boundary, DisplayTolerance) : boundary;
        double At(double value) => forDisplay ? Math.Round(value, 6) : value;
        return PolygonsOf(shape).Select(p => new[] { p.ExteriorRing }.Concat(p.InteriorRings)
            .Select(r => r.Coordinates.Select(c => new[] { At(c.X), At(c.Y) }).ToArray()).ToArray()).ToArray();
    }

    private static IEnumerable<Polygon> PolygonsOf(Geometry shape) => shape switch
    {
        Polygon polygon => [polygon],
        _ => Enumerable.Range(0, shape.NumGeometries).Select(shape.GetGeometryN).OfType<Polygon>(),
    };
}
