using System.Text;
using SafeCities.Tests.Integration.Intelligence;
using SafeCities.Tests.Integration.Plates;

namespace SafeCities.Tests.Integration;

/// <summary>
/// The findings of the hostile tester, one by one: a NUL (U+0000) anywhere PostgreSQL would refuse it, null inside arrays and absurd dates
/// are refused at the edge with a 400 naming the field, and nothing is written. A device that treats 5xx as temporary would otherwise
/// re-send the same bad batch forever.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class InputHygieneTests(AppFixture app)
{
    private const string Nul = "\\u0000";
    private const string Purpose = "case HYGIENE-1";

    public static TheoryData<string> NulPlaces() =>
    [
        "reads[0].readId", "reads[0].make", "reads[0].model", "reads[0].color", "reads[0].imageRef",
        "externalId", "source",
        "pulses[0].pulseId",
        "records[0].sourceId", "records[0].person.firstName", "records[0].person.identifiers.ssn",
        "hotlist name", "device name", "agency name", "agency key name",
        "district",
        "purpose",
    ];

    [Theory]
    [MemberData(nameof(NulPlaces))]
    public async Task A_NUL_in_a_field_is_refused_with_a_400_naming_the_field_and_writes_nothing(string place)
    {
        var (send, field, schemas) = await NulRequestAsync(place);
        var before = await app.RowsAsync([.. schemas, "audit"]);

        var response = await send();

        await AssertRefusedAsync(response, field, "U+0000");
        Assert.Equal("", TableCounts.Changes(before, await app.RowsAsync([.. schemas, "audit"])));
    }

    /// <summary>How to send a NUL to each place the hostile tester found, the field the 400 must name, and the module it must not write to.</summary>
    private async Task<(Func<Task<HttpResponseMessage>> Send, string Field, string[] Schemas)> NulRequestAsync(string place)
    {
        var (lat, lon) = Api.Place();
        using var admin = app.AdminClient();
        switch (place)
        {
            case var p when p.StartsWith("reads[0].", StringComparison.Ordinal):
            {
                var (_, key) = await app.RegisterReaderAsync(lat, lon);
                var read = JsonSerializer(PlatesKit.Read(Guid.NewGuid().ToString("N"), HotlistKit.Plate(), DateTimeOffset.UtcNow.AddSeconds(-10)));
                read[p["reads[0].".Length..]] = $"bad{Nul}";
                return (() => Post(key, "api/v1/plates/reads", $"{{\"reads\":[{Raw(read)}]}}"), p, ["plates"]);
            }
            case "externalId" or "source":
            {
                var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed, lat, lon);
                var shot = JsonSerializer(Api.Gunshot(null, lat, lon));
                shot[place] = $"bad{Nul}";
                return (() => Post(key, "api/v1/sensors/gunshots", Raw(shot)), place, ["sensors", "alerts"]);
            }
            case "pulses[0].pulseId":
            {
                var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.AcousticSensor, lat, lon);
                var at = DateTimeOffset.UtcNow.AddSeconds(-5).ToString("O");
                return (() => Post(key, "api/v1/sensors/pulses", $"{{\"pulses\":[{{\"pulseId\":\"p{Nul}1\",\"arrivalTime\":\"{at}\"}}]}}"), place, ["sensors"]);
            }
            case var p when p.StartsWith("records[0].", StringComparison.Ordinal):
            {
                var (_, feed) = await app.RegisterAgencyAsync("police");
                var record = JsonSerializer(IntelApi.Person(IntelApi.Unique("s"), "Ann", IntelApi.Unique("Nul"), "1980-01-02", identifiers: new { ssn = "123" }));
                var target = p switch
                {
                    "records[0].sourceId" => record,
                    "records[0].person.firstName" => record["person"]!.AsObject(),
                    _ => record["person"]!["identifiers"]!.AsObject(),
                };
                target[p[(p.LastIndexOf('.') + 1)..]] = $"bad{Nul}";
                return (() => Post(feed, "api/v1/intelligence/records", $"{{\"records\":[{Raw(record)}]}}"), p, ["intelligence"]);
            }
            case "hotlist name":
                return (() => Post(app.AdminKey, "api/v1/plates/hotlists",
                    $"{{\"name\":\"List{Nul}\",\"kind\":\"agency\",\"alertLevel\":\"high\",\"reason\":\"r\",\"owner\":\"o\",\"visibility\":\"all-staff\"}}"), "name", ["plates"]);
            case "device name":
                return (() => Post(app.AdminKey, "api/v1/devices",
                    $"{{\"kind\":\"camera\",\"name\":\"Cam{Nul}\",\"latitude\":{lat},\"longitude\":{lon}}}"), "name", ["platform", "video"]);
            case "agency name":
                return (() => Post(app.AdminKey, "api/v1/intelligence/agencies", $"{{\"name\":\"Agency{Nul}\",\"kind\":\"police\"}}"), "name", ["intelligence"]);
            case "agency key name":
            {
                var (agency, _) = await app.RegisterAgencyAsync("court");
                return (() => Post(app.AdminKey, $"api/v1/agencies/{agency}/api-keys", $"{{\"name\":\"feed{Nul}\"}}"), "name", ["platform"]);
            }
            case "district":
            {
                var email = await app.CreateUserAsync(Roles.Officer);
                return (() => Send(HttpMethod.Put, app.AdminKey, $"api/v1/users/{email}/district", $"{{\"district\":\"D{Nul}7\"}}"), "district", ["platform"]);
            }
            default: // co-location purpose
            {
                var now = DateTimeOffset.UtcNow;
                return (() => Post(app.AdminKey, "api/v1/plates/colocation", $$"""
                    {"caseNumber":"{{Stated.CaseNumber}}","offence":"{{Stated.Offence}}","purpose":"case{{Nul}}1","incidents":[{"latitude":{{lat}},"longitude":{{lon}},"occurredAt":"{{now.AddHours(-2):O}}"},
                     {"latitude":{{lat}},"longitude":{{lon}},"occurredAt":"{{now.AddHours(-1):O}}"}]}
                    """), "purpose", ["plates"]);
            }
        }
    }

    public static TheoryData<string, string> NulQueries() => new()
    {
        { $"api/v1/plates/search?{Stated.Query}&purpose=case+1&plate=AB%00C", "plate" },
        { $"api/v1/plates/search?{Stated.Query}&purpose=case%001&plate=ABC123", "purpose" },
        { "api/v1/plates/hits?plate=AB%00C", "plate" },
        { "api/v1/audit?actor=a%00b", "actor" },
        { $"api/v1/intelligence/search?{Stated.Query}&purpose=case+1&name=An%00n", "name" },
        { "api/v1/users/a%01b%40safecities.test", "email" },
    };

    [Theory]
    [MemberData(nameof(NulQueries))]
    public async Task A_control_character_in_a_query_string_or_route_is_refused_with_a_400_naming_the_parameter_and_writes_nothing(string url, string field)
    {
        var before = await app.RowsAsync("plates", "intelligence", "audit");
        using var admin = app.AdminClient();

        var response = await admin.GetAsync(url);

        await AssertRefusedAsync(response, field, "control character");
        Assert.Equal("", TableCounts.Changes(before, await app.RowsAsync("plates", "intelligence", "audit")));
    }

    [Fact]
    public async Task A_streetlight_CSV_line_holding_a_NUL_is_rejected_with_its_reason_and_the_other_lines_are_imported()
    {
        var (lat, lon) = Api.Place();
        var name = $"Hygiene light {Guid.NewGuid():N}"[..26];
        var good = FormattableString.Invariant($"{name},{lat:F5},{lon:F5},ctl-{Guid.NewGuid():N}");
        var before = await app.CountAsync("SELECT count(*) FROM lighting.streetlights");

        var response = await Post(app.AdminKey, "api/v1/lighting/streetlights/import", $$"""
            {"header":"name,latitude,longitude,controllerId","firstLine":2,"lines":["Bad{{Nul}} light,{{lat}},{{lon}},ctl-x","{{good}}"]}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.ReadJsonAsync();
        Assert.Equal(1, result["imported"]!.GetValue<int>());
        var rejected = Assert.Single(result["rejected"]!.AsArray());
        Assert.Equal(2, rejected!["line"]!.GetValue<int>());
        Assert.Contains("U+0000", rejected["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before + 1, await app.CountAsync("SELECT count(*) FROM lighting.streetlights"));
    }

    public static TheoryData<string, string, string, string> NullElements() => new()
    {
        { "pulses", DeviceKinds.AcousticSensor, "api/v1/sensors/pulses", "{\"pulses\":[null]}" },
        { "records", "feed", "api/v1/intelligence/records", "{\"records\":[null]}" },
        { "incidents", "admin", "api/v1/plates/colocation", "{\"caseNumber\":\"2026-000123\",\"offence\":\"burglary\",\"purpose\":\"case 1\",\"incidents\":[null,{\"latitude\":38.9,\"longitude\":-77.0,\"occurredAt\":\"2026-01-01T00:00:00Z\"}]}" },
        { "reads", DeviceKinds.PlateReader, "api/v1/plates/reads", "{\"reads\":[null]}" },
        { "roles", "admin", "api/v1/users/{user}/roles", "{\"roles\":[\"Officer\",null]}" },
    };

    [Theory]
    [MemberData(nameof(NullElements))]
    public async Task A_null_inside_an_array_is_refused_with_a_400_naming_the_element_and_writes_nothing(string array, string caller, string path, string body)
    {
        var key = caller switch
        {
            "admin" => app.AdminKey,
            "feed" => (await app.RegisterAgencyAsync("police")).FeedKey,
            _ => (await app.RegisterDeviceAsync(caller, 38.9, -77.0)).ApiKey,
        };
        if (path.Contains("{user}", StringComparison.Ordinal))
            path = path.Replace("{user}", await app.CreateUserAsync(Roles.Officer), StringComparison.Ordinal);
        var schemas = new[] { "sensors", "intelligence", "plates", "platform", "audit" };
        var before = await app.RowsAsync(schemas);

        var response = await Send(path.EndsWith("/roles", StringComparison.Ordinal) ? HttpMethod.Put : HttpMethod.Post, key, path, body);

        var element = array == "incidents" ? "incidents[0]" : array == "roles" ? "roles[1]" : $"{array}[0]";
        await AssertRefusedAsync(response, element, "null");
        Assert.Equal("", TableCounts.Changes(before, await app.RowsAsync(schemas)));
    }

    [Fact]
    public async Task A_hotlist_import_chunk_without_header_or_lines_is_a_400_naming_them_not_a_500()
    {
        var list = await app.CreateHotlistAsync();
        using var admin = app.AdminClient();
        var import = (await (await admin.PostAsync($"api/v1/plates/hotlists/{list}/imports", null)).ReadJsonAsync())["importId"]!.GetValue<Guid>();
        var before = await app.RowsAsync("plates");

        var response = await Post(app.AdminKey, $"api/v1/plates/hotlists/imports/{import}/lines", "{\"header\":null,\"firstLine\":2,\"lines\":null}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync())["errors"]!.AsObject();
        Assert.Contains("header", errors.Select(e => e.Key));
        Assert.Contains("lines", errors.Select(e => e.Key));
        Assert.Equal("", TableCounts.Changes(before, await app.RowsAsync("plates")));
    }

    public static TheoryData<string, string> AbsurdHotlistExpiries() => new()
    {
        { "0001-01-01T00:00:00Z", "1900" },
        { "9999-12-31T23:59:59Z", "2200" },
        { "2020-06-01T00:00:00Z", "past" },
        { $"{DateTimeOffset.UtcNow.AddYears(11):yyyy-MM-dd}T00:00:00Z", "10 years" },
    };

    [Theory]
    [MemberData(nameof(AbsurdHotlistExpiries))]
    public async Task A_hotlist_expiring_at_an_absurd_time_is_refused_and_nothing_is_written(string expiresAt, string reason)
    {
        var before = await app.RowsAsync("plates", "audit");

        var response = await Post(app.AdminKey, "api/v1/plates/hotlists",
            $"{{\"name\":\"Expiry test\",\"kind\":\"agency\",\"alertLevel\":\"high\",\"reason\":\"r\",\"owner\":\"o\",\"visibility\":\"all-staff\",\"expiresAt\":\"{expiresAt}\"}}");

        await AssertRefusedAsync(response, "expiresAt", reason);
        Assert.Equal("", TableCounts.Changes(before, await app.RowsAsync("plates", "audit")));
    }

    [Fact]
    public async Task A_hotlist_entry_expiring_more_than_ten_years_ahead_is_refused_and_so_is_such_a_line_of_an_extract()
    {
        var list = await app.CreateHotlistAsync();
        var far = DateTimeOffset.UtcNow.AddYears(12);
        var before = await app.RowsAsync("plates");

        var entry = await Post(app.AdminKey, $"api/v1/plates/hotlists/{list}/entries", $"{{\"plate\":\"{HotlistKit.Plate()}\",\"expiresAt\":\"{far:O}\"}}");
        await AssertRefusedAsync(entry, "expiresAt", "10 years");
        Assert.Equal("", TableCounts.Changes(before, await app.RowsAsync("plates")));

        using var admin = app.AdminClient();
        var plate = HotlistKit.Plate();
        var import = await admin.PostAsync($"api/v1/plates/hotlists/{list}/import",
            new StringContent($"plate,expires_at\n{plate},{far:yyyy-MM-dd}\n{HotlistKit.Plate()},{DateTimeOffset.UtcNow.AddDays(30):yyyy-MM-dd}\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        var result = await import.ReadJsonAsync();
        Assert.Equal(1, result["imported"]!.GetValue<int>());
        Assert.Contains("10 years", Assert.Single(result["rejected"]!.AsArray())!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(plate, await app.EntriesAsync(list));
    }

    public static TheoryData<string, string> AbsurdColocationTimes() => new()
    {
        { "0001-01-01T00:00:00Z", "1900" },
        { "9999-12-31T23:59:59Z", "2200" },
        { $"{DateTimeOffset.UtcNow.AddDays(1):O}", "future" },
    };

    [Theory]
    [MemberData(nameof(AbsurdColocationTimes))]
    public async Task A_co_location_place_at_an_absurd_time_is_refused_and_nothing_is_audited(string at, string reason)
    {
        var before = await app.RowsAsync("plates", "audit");

        var response = await Post(app.AdminKey, "api/v1/plates/colocation", $$"""
            {"caseNumber":"{{Stated.CaseNumber}}","offence":"{{Stated.Offence}}","purpose":"{{Purpose}}","incidents":[{"latitude":38.9,"longitude":-77.0,"occurredAt":"{{at}}"},
             {"latitude":38.91,"longitude":-77.0,"occurredAt":"{{DateTimeOffset.UtcNow.AddHours(-1):O}}"}]}
            """);

        await AssertRefusedAsync(response, "incidents[0].occurredAt", reason);
        Assert.Equal("", TableCounts.Changes(before, await app.RowsAsync("plates", "audit")));
    }

    public static TheoryData<string, string> AbsurdSearchRanges() => new()
    {
        { $"api/v1/plates/search?{Stated.Query}&purpose={Uri.EscapeDataString(Purpose)}&plate=ABC123&to=0001-01-01", "to" },
        { $"api/v1/plates/search?{Stated.Query}&purpose={Uri.EscapeDataString(Purpose)}&plate=ABC123&from=9999-12-31", "from" },
        { $"api/v1/audit?from=0001-01-01T00:00:00Z", "from" },
        { $"api/v1/intelligence/search?{Stated.Query}&purpose={Uri.EscapeDataString(Purpose)}&name=Ann&to=0001-01-01", "to" },
        { $"api/v1/plates/search?{Stated.Query}&purpose={Uri.EscapeDataString(Purpose)}&latitude=1e309&longitude=0&radiusMeters=100", "latitude" },
    };

    [Theory]
    [MemberData(nameof(AbsurdSearchRanges))]
    public async Task A_search_over_absurd_dates_or_an_infinite_coordinate_is_refused_and_not_audited(string url, string field)
    {
        var before = await app.RowsAsync("audit");
        using var admin = app.AdminClient();

        var response = await admin.GetAsync(url);

        await AssertRefusedAsync(response, field, field == "latitude" ? "finite" : "years 1900–2200");
        Assert.Equal("", TableCounts.Changes(before, await app.RowsAsync("audit")));
    }

    [Fact]
    public async Task A_page_form_post_holding_a_control_character_or_an_absurd_date_is_a_400_not_a_500_and_writes_nothing()
    {
        using var analyst = await app.SignedInAsync(Users.Analyst);
        var token = Browserless.AntiforgeryToken(await analyst.GetStringAsync("Plates/Hotlists"));
        Task<HttpResponseMessage> CreateAsync(string name, string expires) =>
            analyst.PostAsync("Plates/Hotlists?handler=Create", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["name"] = name, ["kind"] = "agency", ["alertLevel"] = "high", ["reason"] = "r", ["owner"] = "o", ["visibility"] = "all-staff",
                ["expiresAt"] = expires, ["__RequestVerificationToken"] = token,
            }));
        var before = await app.RowsAsync("plates", "audit");

        await AssertRefusedAsync(await CreateAsync("List\u0001", ""), "name", "U+0001");
        await AssertRefusedAsync(await CreateAsync("Dated list", "0001-01-01T00:00"), "expiresAt", "1900");
        // ASP.NET Core's form reader itself will not read a NUL: the whole form is refused, without a field to name. The antiforgery check
        // (which reads a signed-in person's form before anything else) is the first to fail on it, so the refusal names the token it could
        // not read from the form.
        var nul = await CreateAsync("List\0", "");
        Assert.Equal(HttpStatusCode.BadRequest, nul.StatusCode);
        Assert.StartsWith("The antiforgery token is missing", (await nul.ReadJsonAsync())["title"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Equal("", TableCounts.Changes(before, await app.RowsAsync("plates", "audit")));
        Assert.Equal(HttpStatusCode.Redirect, (await CreateAsync($"Page list {Guid.NewGuid():N}"[..20], "")).StatusCode);   // the same form, clean, is taken (and redirects: PRG)
    }

    [Fact]
    public async Task Ordinary_text_in_any_script_with_emoji_passes_untouched()
    {
        var name = $"Ünïcode 東京 🚓 {Guid.NewGuid():N}"[..30];

        var response = await Post(app.AdminKey, "api/v1/plates/hotlists",
            $"{{\"name\":\"{name}\",\"kind\":\"agency\",\"alertLevel\":\"high\",\"reason\":\"Tab\\there, line\\nbreak\",\"owner\":\"o\",\"visibility\":\"all-staff\"}}");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var list = await response.ReadJsonAsync();
        Assert.Equal(name, list["name"]!.GetValue<string>());
        Assert.Equal("Tab\there, line\nbreak", list["reason"]!.GetValue<string>());
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string field, string reasonContains)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400 naming {field}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonNode.Parse(body)?["errors"]?.AsObject() ?? throw new Xunit.Sdk.XunitException($"no errors in {body}");
        Assert.True(errors.ContainsKey(field), $"the problem names {string.Join(", ", errors.Select(e => e.Key))}, not {field}");
        Assert.Contains(reasonContains, errors[field]![0]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    private Task<HttpResponseMessage> Post(string key, string path, string json) => Send(HttpMethod.Post, key, path, json);

    private async Task<HttpResponseMessage> Send(HttpMethod method, string key, string path, string json)
    {
        using var client = app.Client(key);
        return await client.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
    }

    private static JsonObject JsonSerializer(object value) => System.Text.Json.JsonSerializer.SerializeToNode(value, Api.Json)!.AsObject();

    /// <summary>The JSON text, with the escaped NUL put back as an escape (JsonNode would write the backslash itself escaped).</summary>
    private static string Raw(JsonNode node) => node.ToJsonString().Replace("\\\\u0000", "\\u0000", StringComparison.Ordinal);
}
