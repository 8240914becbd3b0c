using System.Text.Json;
using SafeCities.Modules.Shared.Csv;
using SafeCities.Modules.Shared.Input;

namespace SafeCities.Tests.Unit;

/// <summary>The edge policy itself: what it refuses, what it lets through untouched, and the field it names.</summary>
public sealed class InputRulesTests
{
    public static TheoryData<string, string> Passes() => new()
    {
        { "plain text", "Stolen blue Honda, plate ABC-1234 (DC)" },
        { "accents", "Ünïcödé Ñandú Çà va, Łódź" },
        { "CJK", "東京都千代田区 서울 北京" },
        { "right-to-left script", "مرحبا بالعالم שלום" },
        { "emoji as surrogate pairs", "🚓🚨 officer 👮🏽‍♀️ on 🏍" },
        { "an emoji at the very end", "last 😀" },
        { "tab", "a\tb" },
        { "no-break space and replacement character", "a\u00A0b\uFFFD" },
        { "empty", "" },
    };

    [Theory]
    [MemberData(nameof(Passes))]
    public void Ordinary_text_in_any_script_passes(string why, string text)
    {
        Assert.True(InputRules.TextRefusal(text) is null, why);
        Assert.True(InputRules.TextRefusal(text, TextKind.Line) is null, why);
    }

    /// <summary>As UTF-16 code units: a test runner that carries a string with a lone surrogate turns it into U+FFFD on the way.</summary>
    public static TheoryData<string, int[], int> Refused() => new()
    {
        { "NUL", Units("ab\0c"), 2 },
        { "start of heading", Units("\u0001"), 0 },
        { "escape (terminal control)", Units("x\u001b[2J"), 1 },
        { "DEL", Units("a\u007f"), 1 },
        { "C1: padding character", Units("\u0080"), 0 },
        { "C1: next line", Units("a\u0085b"), 1 },
        { "C1: application program command", Units("\u009f"), 0 },
        { "lone high surrogate at the end", [.. Units("abc"), 0xD800], 3 },
        { "high surrogate followed by a letter", [0xD800, 'a'], 0 },
        { "lone low surrogate", ['a', 0xDC00], 1 },
        { "surrogates in the wrong order", [0xDC00, 0xD800], 0 },
        { "NUL after an emoji", Units("😀\0"), 2 },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Control_characters_and_unpaired_surrogates_are_refused_at_their_position(string why, int[] units, int at)
    {
        var text = new string(units.Select(u => (char)u).ToArray());
        Assert.True(InputRules.IndexOfRefused(text) == at, why);
        Assert.Contains($"position {at + 1}", InputRules.TextRefusal(text), StringComparison.Ordinal);
    }

    private static int[] Units(string text) => [.. text.Select(c => (int)c)];

    [Theory]
    [InlineData("line\nbreak")]
    [InlineData("carriage\rreturn")]
    [InlineData("both\r\n")]
    public void Line_breaks_pass_in_text_but_not_in_a_single_line_value(string text)
    {
        Assert.Null(InputRules.TextRefusal(text));
        Assert.NotNull(InputRules.TextRefusal(text, TextKind.Line));
    }

    [Theory]
    [InlineData(1899, false)]
    [InlineData(1900, true)]
    [InlineData(2026, true)]
    [InlineData(2200, true)]
    [InlineData(2201, false)]
    [InlineData(1, false)]
    [InlineData(9999, false)]
    public void Dates_must_lie_in_the_years_1900_to_2200(int year, bool sane) => Assert.Equal(sane, InputRules.IsSaneYear(year));

    [Theory]
    [InlineData("0001-01-01", true)]
    [InlineData("9999-12-31T23:59:59Z", true)]
    [InlineData("1899-12-31", true)]
    [InlineData("2026-12-03T10:00:00+01:00", false)]
    [InlineData("2026-12-03", false)]
    [InlineData("not a date", false)]
    public void A_query_value_bound_to_a_date_is_refused_only_when_it_is_a_date_out_of_range(string value, bool refused) =>
        Assert.Equal(refused, InputRules.DateTextRefusal(value) is not null);

    [Theory]
    [InlineData("1e309", true)]
    [InlineData("-Infinity", true)]
    [InlineData("NaN", true)]
    [InlineData("38.8951", false)]
    [InlineData("-1e308", false)]
    [InlineData("abc", false)]
    public void A_query_value_bound_to_a_number_is_refused_when_it_is_not_finite(string value, bool refused) =>
        Assert.Equal(refused, InputRules.NumberTextRefusal(value) is not null);

    // ---- in System.Text.Json --------------------------------------------------------------------------------------------------

    public sealed record Item(string Name, DateTimeOffset? At = null, double? Score = null);

    public sealed record Body(IReadOnlyList<Item>? Items = null, Dictionary<string, string>? Tags = null, JsonElement? Settings = null,
        IReadOnlyList<string>? Words = null, [property: CsvLines] IReadOnlyList<string>? Lines = null, DateOnly? Day = null);

    private static readonly JsonSerializerOptions Options = Hygienic();

    private static JsonSerializerOptions Hygienic()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { RespectNullableAnnotations = true };
        InputHygieneJson.Apply(options);
        return options;
    }

    public static TheoryData<string, string, string> RefusedJson() => new()
    {
        { "NUL deep in an array", """{"items":[{"name":"ok"},{"name":"a\u0000b"}]}""", "items[1].name" },
        { "null element", """{"items":[null,{"name":"ok"}]}""", "items[0]" },
        { "null among strings", """{"words":["a",null]}""", "words[1]" },
        { "control character in a string of an array", """{"words":["a","b\u0085"]}""", "words[1]" },
        { "control character in a dictionary key", """{"tags":{"k\u0001":"v"}}""", "tags.k\uFFFD" },
        { "null dictionary value", """{"tags":{"k":null}}""", "tags.k" },
        { "control character in a dictionary value", """{"tags":{"k":"v\u007f"}}""", "tags.k" },
        { "year 1", """{"items":[{"name":"a","at":"0001-01-01T00:00:00Z"}]}""", "items[0].at" },
        { "year 9999", """{"day":"9999-12-31"}""", "day" },
        { "1e309", """{"items":[{"name":"a","score":1e309}]}""", "items[0].score" },
        { "free-form JSON: control character", """{"settings":{"url":"x\u0001"}}""", "settings.url" },
        { "free-form JSON: null in an array", """{"settings":{"lanes":[1,null]}}""", "settings.lanes[1]" },
        { "free-form JSON: 1e309", """{"settings":{"x":[{"y":1e309}]}}""", "settings.x[0].y" },
        { "free-form JSON: control character in a key", """{"settings":{"a\u0000":1}}""", "settings.a\uFFFD" },
        { "free-form JSON: unpaired surrogate", """{"settings":{"x":"\ud800"}}""", "settings.x" },
        { "CSV lines: a null line", """{"lines":["a",null]}""", "lines[1]" },
    };

    [Theory]
    [MemberData(nameof(RefusedJson))]
    public void A_body_is_refused_naming_the_field(string why, string json, string field)
    {
        var refused = Assert.Throws<InputRefusedException>(() => JsonSerializer.Deserialize<Body>(json, Options));
        Assert.True(refused.Errors.ContainsKey(field), $"{why}: named {string.Join(", ", refused.Errors.Keys)}");
    }

    [Fact]
    public void A_body_of_ordinary_text_dates_and_numbers_reads_unchanged()
    {
        const string json = """
            {"items":[{"name":"Ünïcödé 東京 🚓","at":"2026-12-03T10:00:00+00:00","score":-0.5}],"tags":{"ssn":"123-45-6789"},
             "settings":{"type":"ptz","lanes":[1,2],"stream":"rtsp://cam/1"},"words":["tab\there","line\nbreak"],"day":"1980-05-17"}
            """;

        var body = JsonSerializer.Deserialize<Body>(json, Options)!;

        Assert.Equal("Ünïcödé 東京 🚓", body.Items![0].Name);
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero), body.Items[0].At);
        Assert.Equal(["tab\there", "line\nbreak"], body.Words);
        Assert.Equal("ptz", body.Settings!.Value.GetProperty("type").GetString());
    }

    [Fact]
    public void Text_System_Text_Json_cannot_read_fails_inside_it_with_the_path_of_the_field()
    {
        var unreadable = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<Body>("""{"items":[{"name":"a\ud800"}]}""", Options));
        Assert.Equal("items[0].name", InputRefusedException.FieldOf(unreadable.Path));
    }

    [Fact]
    public void CSV_lines_keep_their_control_characters_for_the_CSV_splitter_to_reject_line_by_line()
    {
        var body = JsonSerializer.Deserialize<Body>("""{"lines":["good,line","bad\u0000,line"]}""", Options)!;

        Assert.Equal("bad\0,line", body.Lines![1]);
        Assert.Null(CsvLine.Split(body.Lines[0]).Error);
        Assert.Contains("U+0000", CsvLine.Split(body.Lines[1]).Error, StringComparison.Ordinal);
        Assert.Equal(["Łódź", "🚓", "東京"], CsvLine.Split("Łódź,🚓,\"東京\"").Fields);
    }

    [Theory]
    [InlineData("$.pulses[0].sensorId", "pulses[0].sensorId")]
    [InlineData("$", "body")]
    [InlineData(null, "body")]
    [InlineData("$.tags.a\u0000b", "tags.a\uFFFDb")]
    public void A_System_Text_Json_path_becomes_the_field_name(string? path, string field) => Assert.Equal(field, InputRefusedException.FieldOf(path));
}
