namespace SafeCities.Tests.Integration.Platform;

/// <summary>Police districts for tests that need some: rectangles, imported as the city's one set (replacing whatever was there).</summary>
internal static class DistrictKit
{
    /// <summary>A GeoJSON feature: the rectangle between the two latitudes and the two longitudes.</summary>
    public static object Rectangle(string code, string name, double south, double west, double north, double east) => new
    {
        type = "Feature", properties = new { code, name },
        geometry = new { type = "Polygon", coordinates = new[] { new[] { new[] { west, south }, [east, south], [east, north], [west, north], [west, south] } } },
    };

    /// <summary>A square of <paramref name="half"/> degrees either side of <paramref name="center"/>.</summary>
    public static object Square(string code, string name, (double Lat, double Lon) center, double half) =>
        Rectangle(code, name, center.Lat - half, center.Lon - half, center.Lat + half, center.Lon + half);

    /// <summary>Imports the features (properties <c>code</c> and <c>name</c>) as an administrator; fails the test if refused.</summary>
    public static async Task ImportDistrictsAsync(this AppFixture app, params object[] features)
    {
        using var admin = app.AdminClient();
        var imported = await admin.PutAsJsonAsync("api/v1/districts", new
        {
            geoJson = new { type = "FeatureCollection", features }, codeProperty = "code", nameProperty = "name",
        });
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
    }
}
