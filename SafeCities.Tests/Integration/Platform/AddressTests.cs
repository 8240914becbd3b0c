using Mediator;
using SafeCities.Tests.Integration.Intelligence;
using System.Globalization;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Tests.Unit.Sensors;

namespace SafeCities.Tests.Integration.Platform;

/// <summary>
/// Street addresses without internet: administrators import the city's address points as CSV in chunks (like streetlights), and a point is
/// put into words — the nearest street address within 150 m, else "near" the nearest named place, else nothing.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AddressTests(AppFixture app)
{
    private const string Header = "number,street,latitude,longitude,place";

    private static string Line(string number, string street, (double Lat, double Lon) at, string place = "") =>
        string.Create(CultureInfo.InvariantCulture, $"{number},{street},{at.Lat:0.0000000},{at.Lon:0.0000000},{place}");

    private async Task<JsonNode> ImportAsync(HttpClient client, int firstLine, params string[] lines)
    {
        var response = await client.PostAsJsonAsync("api/v1/addresses/import", new { header = Header, firstLine, lines });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    private Task<string?> ReverseAsync((double Lat, double Lon) at) =>
        app.InScopeAsync(async sp => await sp.GetRequiredService<ISender>().Send(new ReverseGeocodeQuery(at.Lat, at.Lon)));

    [Fact]
    public async Task Imported_address_points_give_the_street_address_then_the_nearest_named_place_then_nothing()
    {
        var origin = Api.Place();
        var street = $"Test {Guid.NewGuid():N}"[..20] + " St";
        using var admin = app.AdminClient();
        var result = await ImportAsync(admin, 2,
            Line("1200", street, origin),
            Line("1210", street, GeoMath.Offset(origin.Lat, origin.Lon, 60, 90)),
            "",
            Line("", "", GeoMath.Offset(origin.Lat, origin.Lon, 900, 0), "Oxon Test Park"),
            Line("1300", street, (95, 0)),
            "1400,,1,2,",
            Line("1200", street, origin));
        Assert.Equal(3, result["imported"]!.GetValue<int>());
        Assert.Equal(1, result["blank"]!.GetValue<int>());
        var rejected = result["rejected"]!.AsArray().Select(r => (r!["line"]!.GetValue<int>(), r["reason"]!.GetValue<string>())).ToList();
        Assert.Equal([6, 7, 8], rejected.Select(r => r.Item1));
        Assert.Equal("Latitude 95 is outside ±90.", rejected[0].Item2);
        Assert.Equal("Street and place are both empty; a number needs a street.", rejected[1].Item2);
        Assert.Contains("already on line 2", rejected[2].Item2);

        // 40 m east of 1200: still nearest to 1200; 50 m east of it is nearer 1210.
        Assert.Equal($"1200 {street}", await ReverseAsync(GeoMath.Offset(origin.Lat, origin.Lon, 20, 90)));
        Assert.Equal($"1210 {street}", await ReverseAsync(GeoMath.Offset(origin.Lat, origin.Lon, 50, 90)));
        // 400 m north: no address within 150 m, the park 500 m away names the area.
        Assert.Equal("near Oxon Test Park", await ReverseAsync(GeoMath.Offset(origin.Lat, origin.Lon, 400, 0)));
        // 5 km south: nothing within reach.
        Assert.Null(await ReverseAsync(GeoMath.Offset(origin.Lat, origin.Lon, 5000, 180)));

        // Importing the same file again stores nothing twice (and says why).
        var again = await ImportAsync(admin, 2, Line("1200", street, origin));
        Assert.Equal(0, again["imported"]!.GetValue<int>());
        Assert.Equal("This address is already stored.", again["rejected"]![0]!["reason"]!.GetValue<string>());
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM platform.address_points WHERE street = '{street}' AND number = '1200'"));
        Assert.True(await app.CountAsync("SELECT count(*) FROM audit.entries WHERE action = 'addresses.imported'") >= 2);

        // Staff read it through the API too.
        var reverse = await (await admin.GetAsync(string.Create(CultureInfo.InvariantCulture,
            $"api/v1/addresses/reverse?latitude={origin.Lat}&longitude={origin.Lon}"))).ReadJsonAsync();
        Assert.Equal($"1200 {street}", reverse["address"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_bad_header_or_a_non_administrator_is_refused_and_nothing_is_stored()
    {
        var before = await app.CountAsync("SELECT count(*) FROM platform.address_points");
        using var admin = app.AdminClient();
        var bad = await admin.PostAsJsonAsync("api/v1/addresses/import", new { header = "house,road", firstLine = 2, lines = new[] { "1,Main St" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Unknown column 'house'", await bad.Content.ReadAsStringAsync());
        var tooMany = await admin.PostAsJsonAsync("api/v1/addresses/import",
            new { header = Header, firstLine = 2, lines = Enumerable.Repeat("1,Main St,1,1,", 501).ToArray() });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        var reverse = await admin.GetAsync("api/v1/addresses/reverse?latitude=91&longitude=0");
        Assert.Equal(HttpStatusCode.BadRequest, reverse.StatusCode);

        using var officer = await app.SignedInAsync(await app.CreateUserAsync(Roles.Officer), pageToken: true);
        var refused = await officer.PostAsJsonAsync("api/v1/addresses/import", new { header = Header, firstLine = 2, lines = new[] { "1,Main St,1,1," } });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(before, await app.CountAsync("SELECT count(*) FROM platform.address_points"));
    }

    /// <summary>
    /// Real geography: the Chicago South Side 2016 sample (shared/data/crime, Chicago data portal via open_cp) gives each event's anonymised
    /// block ("073XX S COTTAGE GROVE AVE") and position. Imported as block address points ("7300 S COTTAGE GROVE AVE"), the first event of a
    /// block keeps its place and the repeats are refused as duplicates; each stored point then reads back as its own block.
    /// </summary>
    [Fact]
    public async Task The_chicago_blocks_of_the_shared_crime_sample_import_in_chunks_and_read_back_as_their_blocks()
    {
        var file = LiveFireData.Find() is { } pulse
            ? Path.Combine(Path.GetDirectoryName(pulse)!, "..", "..", "crime", "chicago_southside_2016_opencp_example.csv")
            : throw new InvalidOperationException("shared/data not found: run with SAFECITIES_DATA (scripts/test sets it)");
        var rows = File.ReadLines(file).Skip(1).Select(l => l.Split(','))
            .Where(f => f.Length == 6 && f[4].Length > 0 && f[2].Length > 2)
            .Select(f => (Number: f[2][..f[2].IndexOf(' ')].Replace("XX", "00"), Street: f[2][(f[2].IndexOf(' ') + 1)..],
                Lat: double.Parse(f[4], CultureInfo.InvariantCulture), Lon: double.Parse(f[5], CultureInfo.InvariantCulture)))
            .ToList();
        Assert.True(rows.Count > 900, $"only {rows.Count} rows read from {file}");
        var lines = rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Number},{r.Street},{r.Lat},{r.Lon},")).ToList();

        using var admin = app.AdminClient();
        int imported = 0, rejected = 0;
        for (var i = 0; i < lines.Count; i += 200)
        {
            var chunk = await ImportAsync(admin, i + 2, [.. lines.Skip(i).Take(200)]);
            imported += chunk["imported"]!.GetValue<int>();
            rejected += chunk["rejected"]!.AsArray().Count;
        }
        var blocks = rows.Select(r => $"{r.Number}|{r.Street}".ToLowerInvariant()).Distinct().Count();
        // A run against a database that imported them before refuses every line: both add up to the file.
        Assert.Equal(lines.Count, imported + rejected);
        Assert.True(imported is 0 || imported == blocks, $"{imported} imported, {blocks} distinct blocks");

        var first = rows.GroupBy(r => $"{r.Number}|{r.Street}".ToLowerInvariant()).Select(g => g.First()).Take(25).ToList();
        foreach (var r in first)
            Assert.Equal($"{r.Number} {r.Street}", await ReverseAsync((r.Lat, r.Lon)));
    }

    [Fact]
    public async Task The_streets_are_drawn_through_the_address_points_between_the_two_sides_split_at_a_gap_and_open_to_every_map()
    {
        // A street running east: even numbers on its south side, odd on its north (10 m either side of the middle), a house every 15 m,
        // sent in no particular order; 600 m further on, the same name again (a second stretch); a named place beside it.
        var origin = Api.Place();
        var street = $"Draw {Guid.NewGuid():N}"[..18] + " Ave";
        (double Lat, double Lon) At(double east, double north)
        {
            var (lat, lon) = GeoMath.Offset(origin.Lat, origin.Lon, east, 90);
            return GeoMath.Offset(lat, lon, Math.Abs(north), north >= 0 ? 0 : 180);
        }
        var lines = Enumerable.Range(0, 11).Select(i => Line($"{100 + i}", street, At(15 * i, i % 2 == 0 ? -10 : 10)))
            .Concat(Enumerable.Range(0, 5).Select(i => Line($"{900 + i}", street, At(750 + 15 * i, i % 2 == 0 ? -10 : 10))))
            .Append(Line("", "", At(60, 60), $"Draw Test Park {Guid.NewGuid():N}"[..24]))
            .OrderBy(l => l.GetHashCode()).ToArray();
        using (var admin = app.AdminClient())
            Assert.Equal(17, (await ImportAsync(admin, 2, lines))["imported"]!.GetValue<int>());

        // Any map may ask, the public's too: no key, no cookie.
        using var anonymous = app.Client();
        var box = string.Create(CultureInfo.InvariantCulture,
            $"south={origin.Lat - 0.005}&west={origin.Lon - 0.005}&north={origin.Lat + 0.005}&east={origin.Lon + 0.015}");
        var response = await anonymous.GetAsync($"api/v1/addresses/streets?{box}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var map = await response.ReadJsonAsync();
        Assert.True(map["complete"]!.GetValue<bool>());
        var ours = map["streets"]!.AsArray().Where(s => s!["name"]!.GetValue<string>() == street)
            .Select(s => s!["points"]!.AsArray().Select(p => (Lat: p![0]!.GetValue<double>(), Lon: p[1]!.GetValue<double>())).ToList()).ToList();
        Assert.Equal(2, ours.Count);
        var (first, second) = (ours.Single(l => l.Count > 0 && l.Min(p => p.Lon) < origin.Lon + 0.001), ours.Single(l => l.Min(p => p.Lon) > origin.Lon + 0.005));
        // In house-number order (west to east), from the first house to the last; between the two sides, not zigzagging across the
        // street; simplified (a straight street needs few points: 11 houses, at most 6 points).
        Assert.True(first.Zip(first.Skip(1)).All(pair => pair.Second.Lon > pair.First.Lon), "the line does not run in house-number order");
        Assert.InRange(first.Count, 2, 6);
        Assert.Equal(0, GeoMath.DistanceMeters(first[0].Lat, first[0].Lon, At(0, -10).Lat, At(0, -10).Lon), 0.5);
        Assert.Equal(0, GeoMath.DistanceMeters(first[^1].Lat, first[^1].Lon, At(150, -10).Lat, At(150, -10).Lon), 0.5);
        foreach (var p in first.Skip(1).SkipLast(1))
            Assert.True(Math.Abs(GeoMath.DistanceMeters(p.Lat, p.Lon, origin.Lat, p.Lon)) < 1, $"{p} is off the middle of the street");
        Assert.InRange(second.Count, 2, 5);
        Assert.Contains(map["places"]!.AsArray(), p => p!["name"]!.GetValue<string>().StartsWith("Draw Test Park", StringComparison.Ordinal));

        // A box too large to draw, or upside down, is refused with what is wrong.
        var large = await anonymous.GetAsync(string.Create(CultureInfo.InvariantCulture, $"api/v1/addresses/streets?south=38.5&west=-77.3&north=39.0&east=-76.8"));
        Assert.Equal(HttpStatusCode.BadRequest, large.StatusCode);
        Assert.Contains("at most 0.25° a side", await large.Content.ReadAsStringAsync());
        var upsideDown = await anonymous.GetAsync("api/v1/addresses/streets?south=38.9&west=-77.0&north=38.8&east=-76.9");
        Assert.Equal(HttpStatusCode.BadRequest, upsideDown.StatusCode);
        Assert.Contains("'North' must be north of 'South'.", await upsideDown.Content.ReadAsStringAsync());
    }
}
