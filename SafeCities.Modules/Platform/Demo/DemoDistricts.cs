using System.Text.Json;

namespace SafeCities.Modules.Platform.Demo;

/// <summary>
/// The demo city's police districts: three rectangles around the centre named after the Metropolitan Police districts that meet near
/// Congress Heights ("demo boundary": no district polygons of Washington, D.C. are shipped). Imported as GeoJSON through the same command as
/// an administrator's file.
/// </summary>
internal static class DemoDistricts
{
    private const double Reach = 0.05;

    public static JsonElement GeoJson(double centerLat, double centerLon)
    {
        var (south, north, west, east) = (centerLat - Reach, centerLat + Reach, centerLon - Reach, centerLon + Reach);
        object Feature(string code, string name, double s, double n, double w, double e) => new
        {
            type = "Feature",
            properties = new { code, name },
            geometry = new { type = "Polygon", coordinates = new[] { new[] { new[] { w, s }, new[] { e, s }, new[] { e, n }, new[] { w, n }, new[] { w, s } } } },
        };
        return JsonSerializer.SerializeToElement(new
        {
            type = "FeatureCollection",
            features = new[]
            {
                Feature("7", "7th District (demo boundary)", south, centerLat, west, east),
                Feature("6", "6th District (demo boundary)", centerLat, north, centerLon, east),
                Feature("1", "1st District (demo boundary)", centerLat, north, west, centerLon),
            },
        });
    }
}
