namespace SafeCities.Tests.Integration.Lighting;

[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class StreetlightImportTests(AppFixture app)
{
    private const string Header = "name,latitude,longitude,circuit,controllerId,normalLevel";

    [Fact]
    public async Task Valid_lines_are_imported_and_every_bad_line_is_reported_with_its_number_and_reason()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var (lat, lon) = Api.Place();
        string L(double dLat) => (lat + dLat).ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] lines =
        [
            $"SL-{tag}-1,{L(0)},{lon},C-1,SEG-1,30",
            $"\"SL-{tag}-2, corner of 4th\",{L(0.001)},{lon},C-1,SEG-1,",
            $"SL-{tag}-3,north,{lon},C-1,SEG-1,40",
            "",
            $"SL-{tag}-4,{L(0.002)},{lon},C-2,,40",
            $"SL-{tag}-1,{L(0.003)},{lon},C-2,SEG-2,40",
            $"SL-{tag}-5,{L(0.004)},{lon},C-2,SEG-2,140",
            $"SL-{tag}-6,{L(0.005)},{lon},C-2,SEG-2",
            $"SL-{tag}-7,{L(0.006)},{lon},,SEG-2,50",
        ];
        var audits = await app.CountAsync("SELECT count(*) FROM audit.entries WHERE module = 'Lighting' AND action = 'streetlights.imported'");
        using var admin = app.AdminClient();

        var response = await admin.PostAsJsonAsync("api/v1/lighting/streetlights/import", new { header = Header, firstLine = 2, lines });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.ReadJsonAsync();
        Assert.Equal(3, result["imported"]!.GetValue<int>());
        Assert.Equal(1, result["blank"]!.GetValue<int>());
        var rejected = result["rejected"]!.AsArray().ToDictionary(r => r!["line"]!.GetValue<int>(), r => r!["reason"]!.GetValue<string>());
        Assert.Equal([4, 6, 7, 8, 9], rejected.Keys.Order());
        Assert.Equal("Latitude 'north' is not a number.", rejected[4]);
        Assert.StartsWith("ControllerId is empty", rejected[6]);
        Assert.Equal($"Duplicate name 'SL-{tag}-1' (already on line 2).", rejected[7]);
        Assert.Equal("NormalLevel '140' is not a whole number from 0 to 100.", rejected[8]);
        Assert.Equal("Expected 6 fields, found 5.", rejected[9]);

        Assert.Equal(1, await app.CountAsync(
            $"SELECT count(*) FROM lighting.streetlights WHERE name = 'SL-{tag}-1' AND normal_level = 30 AND current_level = 30 AND circuit = 'C-1' AND controller_id = 'SEG-1' AND state = 'normal' AND abs(latitude - {L(0)}) < 1e-9"));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM lighting.streetlights WHERE name = 'SL-{tag}-2, corner of 4th' AND normal_level = 40"));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM lighting.streetlights WHERE name = 'SL-{tag}-7' AND circuit IS NULL AND normal_level = 50"));
        Assert.Equal(3, await app.CountAsync($"SELECT count(*) FROM lighting.streetlights WHERE name LIKE 'SL-{tag}-%'"));
        Assert.Equal(audits + 1, await app.CountAsync("SELECT count(*) FROM audit.entries WHERE module = 'Lighting' AND action = 'streetlights.imported'"));
        Assert.Equal(1, await app.CountAsync(
            "SELECT count(*) FROM audit.entries WHERE module = 'Lighting' AND action = 'streetlights.imported' AND actor LIKE 'client:%' AND details ->> 'imported' = '3' AND details ->> 'rejected' = '5'"));

        // Importing the same chunk again (the browser retried after a dropped connection) creates nothing new.
        var again = await (await admin.PostAsJsonAsync("api/v1/lighting/streetlights/import", new { header = Header, firstLine = 2, lines })).ReadJsonAsync();
        Assert.Equal(0, again["imported"]!.GetValue<int>());
        Assert.Contains(again["rejected"]!.AsArray(), r => r!["line"]!.GetValue<int>() == 2
            && r["reason"]!.GetValue<string>() == $"A streetlight named 'SL-{tag}-1' is already registered.");
        Assert.Equal(3, await app.CountAsync($"SELECT count(*) FROM lighting.streetlights WHERE name LIKE 'SL-{tag}-%'"));

        // Imported lights are listed with the others (they are commanded through their controller and have no device key).
        var listed = (await (await admin.GetAsync("api/v1/devices?kind=streetlight")).ReadJsonAsync()).AsArray();
        Assert.Equal(3, listed.Count(d => d!["name"]!.GetValue<string>().StartsWith($"SL-{tag}-", StringComparison.Ordinal)));
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM platform.api_keys k JOIN lighting.streetlights l ON l.id = k.device_id WHERE l.name LIKE 'SL-{tag}-%'"));
    }

    [Theory]
    [InlineData("name,latitude,longitude", "header", "Missing column controllerId.")]
    [InlineData("name,latitude,longitude,controllerId,colour", "header", "Unknown column 'colour'")]
    [InlineData("name,latitude,name,longitude,controllerId", "header", "Column 'name' appears twice.")]
    public async Task A_bad_header_is_a_400_and_imports_nothing(string header, string field, string message)
    {
        var before = await app.CountAsync("SELECT count(*) FROM lighting.streetlights");
        using var admin = app.AdminClient();
        var response = await admin.PostAsJsonAsync("api/v1/lighting/streetlights/import",
            new { header, firstLine = 2, lines = new[] { "x,1,1,SEG-1", "y,2,2,SEG-1" } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync())["errors"]!.AsObject();
        Assert.StartsWith(message, errors[field]![0]!.GetValue<string>());
        Assert.Equal(before, await app.CountAsync("SELECT count(*) FROM lighting.streetlights"));
    }

    [Fact]
    public async Task Chunks_are_limited_and_only_administrators_import()
    {
        using var admin = app.AdminClient();
        var tooMany = await admin.PostAsJsonAsync("api/v1/lighting/streetlights/import",
            new { header = Header, firstLine = 2, lines = Enumerable.Repeat("a,1,1,,S,1", 501) });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("lines", (await tooMany.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key));

        using var commander = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        Assert.Equal(HttpStatusCode.Forbidden,
            (await commander.PostAsJsonAsync("api/v1/lighting/streetlights/import", new { header = Header, firstLine = 2, lines = new[] { "a,1,1,,S,1" } })).StatusCode);
        using var signedIn = await app.SignedInAsync(Users.Officer);
        Assert.Equal(HttpStatusCode.Redirect, (await signedIn.GetAsync("Lighting/Admin/Streetlights")).StatusCode);
    }
}
