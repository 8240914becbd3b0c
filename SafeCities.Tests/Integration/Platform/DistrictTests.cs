using System.Text.Json.Nodes;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Tests.Integration.Lighting;

namespace SafeCities.Tests.Integration.Platform;

/// <summary>
/// Police districts: administrators import the city's district boundaries as GeoJSON (all or nothing, each problem named), every incident is
/// given the district it opens in, and analyses locate any point. The districts are the city's (one set): each test imports its own far apart.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DistrictTests(AppFixture app)
{
    private static double[][] Square((double Lat, double Lon) center, double halfDegrees) =>
    [
        [center.Lon - halfDegrees, center.Lat - halfDegrees], [center.Lon + halfDegrees, center.Lat - halfDegrees],
        [center.Lon + halfDegrees, center.Lat + halfDegrees], [center.Lon - halfDegrees, center.Lat + halfDegrees],
        [center.Lon - halfDegrees, center.Lat - halfDegrees],
    ];

    private static object Feature(object properties, string type, object coordinates) =>
        new { type = "Feature", properties, geometry = new { type, coordinates } };

    private static Task<HttpResponseMessage> ImportAsync(HttpClient client, object[] features, string? codeProperty = null, string? nameProperty = null) =>
        client.PutAsJsonAsync("api/v1/districts", new { geoJson = new { type = "FeatureCollection", features }, codeProperty, nameProperty });

    private Task<IReadOnlyList<string?>> LocateAsync(params (double Lat, double Lon)[] points) =>
        app.SendAsync(new LocateDistrictsQuery(points.Select(p => new DistrictPointDto(p.Lat, p.Lon)).ToList()));

    [Fact]
    public async Task Imported_districts_locate_points_and_name_the_district_of_every_new_incident()
    {
        var origin = Api.Place();
        var east = (origin.Lat, origin.Lon + 0.05);
        var code = $"T{Guid.NewGuid():N}"[..8];
        using var admin = app.AdminClient();
        var response = await ImportAsync(admin,
        [
            Feature(new Dictionary<string, string> { ["DISTRICT"] = code, ["NAME"] = "Test North" }, "Polygon", new[] { Square(origin, 0.02) }),
            // (Property names as a county's file spells them: the naming policy of this client must not touch them.)
            // A district in two parts, one with a hole: the hole is outside it.
            Feature(new Dictionary<string, string> { ["DISTRICT"] = code + "b", ["NAME"] = "Test East" }, "MultiPolygon", new[]
            {
                new[] { Square(east, 0.02), Square(east, 0.005) },
                new[] { Square((origin.Lat + 0.1, origin.Lon), 0.01) },
            }),
        ], "DISTRICT", "NAME");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal(2, (await response.ReadJsonAsync())["imported"]!.GetValue<int>());

        var located = await LocateAsync(origin, GeoMath.Offset(east.Lat, east.Item2, 1200, 0), east, (origin.Lat + 0.1, origin.Lon), (origin.Lat - 1, origin.Lon));
        Assert.Equal([code, code + "b", null, code + "b", null], located);

        // A gunshot inside the first district: its incident carries the code (board filters and analyses group by it).
        var incident = await app.PostGunshotAsync(origin.Lat + 0.001, origin.Lon);
        var detail = await (await admin.GetAsync($"api/v1/incidents/{incident}")).ReadJsonAsync();
        Assert.Equal(code, detail["incident"]!["district"]!.GetValue<string>());

        // Everyone who sees the board reads the boundaries as GeoJSON.
        var collection = await (await admin.GetAsync("api/v1/districts")).ReadJsonAsync();
        Assert.Equal("FeatureCollection", collection["type"]!.GetValue<string>());
        var north = collection["features"]!.AsArray().Single(f => f!["properties"]!["code"]!.GetValue<string>() == code)!;
        Assert.Equal("Test North", north["properties"]!["name"]!.GetValue<string>());
        Assert.Equal(5, north["geometry"]!["coordinates"]![0]![0]!.AsArray().Count);
        // Every map without a tile server draws the outlines, the public's too: codes, names and boundaries only (not who imported them).
        using var anonymous = app.Client();
        var outlines = await anonymous.GetAsync("api/v1/districts/outlines");
        Assert.Equal((HttpStatusCode.OK, "public, max-age=300"), (outlines.StatusCode, outlines.Headers.CacheControl?.ToString()));
        var outline = (await outlines.ReadJsonAsync())["features"]!.AsArray().Single(f => f!["properties"]!["code"]!.GetValue<string>() == code)!;
        Assert.Equal(["code", "name"], outline["properties"]!.AsObject().Select(p => p.Key).ToArray());
        // The same square, its corners to 6 decimals (a decimetre: what a map draws).
        Assert.Equal(Ring(north).Select(p => (Math.Round(p.Lon, 6), Math.Round(p.Lat, 6))), Ring(outline).Select(p => (p.Lon, p.Lat)));
        Assert.True(await app.CountAsync("SELECT count(*) FROM audit.entries WHERE action = 'districts.imported'") >= 1);
    }

    [Fact]
    public async Task Maps_get_a_detailed_boundary_simplified_within_a_metre_and_the_list_keeps_it_as_imported()
    {
        // A county's file: a round district 2 km across with a vertex every 30 cm of its edge (21,000), as traced along curved streets.
        var center = Api.Place();
        var code = $"D{Guid.NewGuid():N}"[..8];
        const int vertices = 21_000;
        var ring = Enumerable.Range(0, vertices + 1).Select(i => GeoMath.Offset(center.Lat, center.Lon, 1000, 360.0 * (i % vertices) / vertices))
            .Select(p => new[] { p.Longitude, p.Latitude }).ToArray();
        using var admin = app.AdminClient();
        var imported = await ImportAsync(admin, [Feature(new { code, name = "Detailed" }, "Polygon", new[] { ring })]);
        Assert.True(imported.StatusCode == HttpStatusCode.OK, await imported.Content.ReadAsStringAsync());

        // The list (the record, an integration's export) keeps every vertex as imported.
        var listed = await admin.GetAsync("api/v1/districts");
        var listedBytes = (await listed.Content.ReadAsByteArrayAsync()).Length;
        var asImported = Ring(JsonNode.Parse(await listed.Content.ReadAsStringAsync())!["features"]!.AsArray().Single(f => f!["properties"]!["code"]!.GetValue<string>() == code)!);
        Assert.Equal(vertices + 1, asImported.Count);

        // The outlines every map draws: a few hundred vertices at most, a small part of the bytes, and no imported vertex further than about a
        // metre (the tolerance, 0.00001°, plus rounding) from the line drawn.
        using var anonymous = app.Client();
        var outlines = await anonymous.GetAsync("api/v1/districts/outlines");
        var outlineBytes = (await outlines.Content.ReadAsByteArrayAsync()).Length;
        var drawn = Ring(JsonNode.Parse(await outlines.Content.ReadAsStringAsync())!["features"]!.AsArray().Single(f => f!["properties"]!["code"]!.GetValue<string>() == code)!);
        Assert.InRange(drawn.Count, 4, 400);
        Assert.True(outlineBytes * 20 < listedBytes, $"outlines {outlineBytes:N0} bytes, the list {listedBytes:N0}");
        var furthest = asImported.Max(p => Enumerable.Range(0, drawn.Count - 1).Min(i => MetersToSegment(p, drawn[i], drawn[i + 1])));
        Assert.True(furthest <= 1.3, $"an imported vertex lies {furthest:0.00} m from the outline drawn");
        Console.WriteLine($"District outlines: {vertices + 1:N0} vertices imported ({listedBytes:N0} bytes listed), {drawn.Count} drawn ({outlineBytes:N0} bytes), furthest {furthest:0.00} m");

        // A new import is drawn at once (the simplified outlines are cached until the next import).
        var replaced = $"R{Guid.NewGuid():N}"[..8];
        Assert.Equal(HttpStatusCode.OK, (await ImportAsync(admin, [Feature(new { code = replaced, name = "Replaced" }, "Polygon", new[] { Square(center, 0.01) })])).StatusCode);
        var codes = (await (await anonymous.GetAsync("api/v1/districts/outlines")).ReadJsonAsync())["features"]!.AsArray()
            .Select(f => f!["properties"]!["code"]!.GetValue<string>()).ToList();
        Assert.Equal([replaced], codes);
    }

    /// <summary>A feature's first ring as (longitude, latitude) pairs.</summary>
    private static List<(double Lon, double Lat)> Ring(JsonNode feature) =>
        feature["geometry"]!["coordinates"]![0]![0]!.AsArray().Select(p => (p![0]!.GetValue<double>(), p[1]!.GetValue<double>())).ToList();

    /// <summary>Metres from <paramref name="p"/> to the segment a–b (a local flat projection: fine over a district).</summary>
    private static double MetersToSegment((double Lon, double Lat) p, (double Lon, double Lat) a, (double Lon, double Lat) b)
    {
        var kx = 111_320 * Math.Cos(p.Lat * Math.PI / 180);
        const double ky = 110_574;
        var (ax, ay, bx, by) = ((a.Lon - p.Lon) * kx, (a.Lat - p.Lat) * ky, (b.Lon - p.Lon) * kx, (b.Lat - p.Lat) * ky);
        var (dx, dy) = (bx - ax, by - ay);
        var t = dx == 0 && dy == 0 ? 0 : Math.Clamp(-(ax * dx + ay * dy) / (dx * dx + dy * dy), 0, 1);
        return Math.Sqrt(Math.Pow(ax + t * dx, 2) + Math.Pow(ay + t * dy, 2));
    }

    [Fact]
    public async Task A_bad_file_is_refused_whole_with_each_feature_named_and_the_districts_stay_as_they_were()
    {
        var origin = Api.Place();
        var code = $"K{Guid.NewGuid():N}"[..8];
        using var admin = app.AdminClient();
        Assert.Equal(HttpStatusCode.OK, (await ImportAsync(admin, [Feature(new { code, name = "Kept" }, "Polygon", new[] { Square(origin, 0.01) })])).StatusCode);

        var bowtie = new[] { new[] { new[] { 0.0, 0.0 }, [1.0, 1.0], [1.0, 0.0], [0.0, 1.0], [0.0, 0.0] } };
        var swapped = new[] { new[] { new[] { 38.9, -177.0 }, [38.9, -176.9], [38.8, -176.9], [38.9, -177.0] } };
        var bad = await ImportAsync(admin,
        [
            Feature(new { code = "ok", name = "Fine" }, "Polygon", new[] { Square(origin, 0.01) }),
            Feature(new { code = "bow", name = "Bowtie" }, "Polygon", bowtie),
            Feature(new { code = "swap" }, "Polygon", swapped),
            Feature(new { name = "No code" }, "Polygon", new[] { Square(origin, 0.01) }),
            Feature(new { code = "ok" }, "Point", new[] { 1.0, 2.0 }),
        ]);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.ReadJsonAsync())["errors"]!["geoJson"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        Assert.Collection(errors,
            e => Assert.StartsWith("Feature 2: the boundary is not a valid polygon (Self-intersection", e),
            e => Assert.Equal("Feature 3: position [38.9, -177] is not [longitude, latitude] in degrees (GeoJSON puts the longitude first).", e),
            e => Assert.Equal("Feature 4: property 'code' (the district code) is missing or empty.", e),
            e => Assert.Equal("Feature 5: the geometry must be a Polygon or a MultiPolygon.", e));
        Assert.Equal([code], await LocateAsync(origin));

        var notGeoJson = await admin.PutAsJsonAsync("api/v1/districts", new { geoJson = new[] { 1, 2 } });
        Assert.Equal(HttpStatusCode.BadRequest, notGeoJson.StatusCode);

        // Only administrators change them.
        using var commander = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        Assert.Equal(HttpStatusCode.Forbidden, (await ImportAsync(commander, [Feature(new { code = "x" }, "Polygon", new[] { Square(origin, 0.01) })])).StatusCode);
        Assert.Equal([code], await LocateAsync(origin));
    }
}
