using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SafeCities.Modules.Plates;
using SafeCities.Modules.Plates.Features;
using SafeCities.Modules.Shared.Input;

namespace SafeCities.Tests.Unit.Plates;

/// <summary>
/// The ingestion body's own reader (<see cref="PlateReadsJson"/>, ADR 0057) against the general deserialiser with the host's options and
/// the edge checks (<see cref="InputHygieneJson"/>), which read this body before: every body gives the same reads, or is refused naming
/// the same field, or is unreadable in both.
/// </summary>
public sealed class PlateReadsJsonTests
{
    private static readonly JsonSerializerOptions Host = HostOptions();

    /// <summary>As SafeCities.Web configures the HTTP JSON options (PlatformSetup) plus the edge checks.</summary>
    private static JsonSerializerOptions HostOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true, NumberHandling = JsonNumberHandling.Strict,
        };
        InputHygieneJson.Apply(options);
        return options;
    }

    private const string Good = """{"readId":"r-1","plate":"ABC1234","region":"DC","capturedAt":"2026-12-04T10:00:00Z","confidence":0.93,"make":"Ford","model":"F-150","color":"red","imageRef":"s3://a/b.jpg"}""";

    public static TheoryData<string> SameAnswers() =>
    [
        // read as sent
        $$"""{"reads":[{{Good}}]}""",
        $$"""{"reads":[{{Good}},{{Good.Replace("r-1", "r-2")}}]}""",
        """{"reads":[]}""", """{"reads":null}""", "{}", "null", " \n {\"reads\" : [ ] } \n",
        "\uFEFF" + $$"""{"reads":[{{Good}}]}""",
        """{"READS":[{"READID":"r","Plate":"abc-123","REGION":"md","capturedat":"2026-12-04T10:00:00.123+01:00","Confidence":1}]}""",
        """{"reads":[{"re\u0061dId":"\u0041BC","plate":"\u00c9\u00e9","region":"😀","capturedAt":"2026-12-04","confidence":0}]}""",
        """{"other":{"a":[1,{"b":null}]},"reads":[{"plate":"A","unknown":[1,2,{"x":"\u0000"}],"make":null}],"more":"\u0000"}""",
        """{"reads":[{"plate":"FIRST","plate":"SECOND"}]}""",
        """{"reads":[{"confidence":1e400}]}""", """{"reads":[{"confidence":-0.0}]}""", """{"reads":[{"confidence":12345678901234567890}]}""",
        """{"reads":[{"make":"line\nbreak\ttab"}]}""",
        // refused by the edge rules, naming the field
        """{"reads":[{"readId":"a\u0000b"}]}""", """{"reads":[{"plate":"\u0007"}]}""", """{"reads":[{"region":"\u007f"}]}""",
        """{"reads":[{"make":"\u0085"}]}""", """{"reads":[{"model":"x\u0000"}]}""", """{"reads":[{"color":"\u0000"}]}""",
        """{"reads":[{"imageRef":"\u0000"}]}""", """{"reads":[{"readId":"\u0000","imageRef":"\u0000"}]}""",
        """{"reads":[{"capturedAt":"0001-01-01T00:00:00Z"}]}""", """{"reads":[{"capturedAt":"9999-12-31T00:00:00Z"}]}""",
        """{"reads":[{"plate":"A"},null]}""", """{"reads":[null,{"plate":"A"},null]}""",
        """{"reads":[null,{"plate":"\u0000"}]}""", """{"reads":[{"make":"\u0000"},{"plate":5}]}""",
        // unreadable: the wrong type or format, named by its path
        """{"reads":[{"plate":123}]}""", """{"reads":[{"readId":true}]}""", """{"reads":[{"confidence":"0.9"}]}""",
        """{"reads":[{"capturedAt":5}]}""", """{"reads":[{"capturedAt":"yesterday"}]}""", """{"reads":[{"capturedAt":"2026-13-01T00:00:00Z"}]}""",
        """{"reads":[{"plate":"\uD800"}]}""", """{"reads":[{"k\u0000":"v","\ud800":1}]}""", """{"\ud800":1,"reads":[]}""",
        """{"reads":[{"re\ud800adId":"x"}]}""", """{"reads":[{"plate":"A"},{"make":{"x":1}}]}""", """{"reads":[{"make":"\u0000","plate":1}]}""",
        """{"reads":{}}""", """{"reads":"x"}""", """{"reads":[5]}""", """{"reads":[[]]}""", "[]", "\"x\"", "5",
    ];

    public static TheoryData<string> Malformed() =>
    [
        "", "   ", "{", """{"reads":[}""", """{"reads":[{"plate":"A",}]}""", "{} x", "{}{}", """{"reads":[] /* c */}""",
        """{"reads":[{"plate":"A"}]""", """{'reads':[]}""", """{"reads":[{"plate":"A\q"}]}""", "nul",
    ];

    [Theory]
    [MemberData(nameof(SameAnswers))]
    public void A_body_is_read_or_refused_as_the_general_deserialiser_did(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var expected = Outcome(() => JsonSerializer.Deserialize<IngestPlateReadsRequest>(bytes, Host));
        var actual = Outcome(() => PlateReadsJson.Parse(bytes));
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_JSON_is_unreadable_in_both(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        Assert.StartsWith("unreadable", Outcome(() => JsonSerializer.Deserialize<IngestPlateReadsRequest>(bytes, Host)));
        Assert.StartsWith("unreadable", Outcome(() => PlateReadsJson.Parse(bytes)));
    }

    [Fact]
    public void Invalid_UTF8_is_unreadable_in_both()
    {
        byte[] bytes = [.. "{\"reads\":[{\"plate\":\""u8, 0xC3, 0x28, .. "\"}]}"u8];
        Assert.StartsWith("unreadable", Outcome(() => JsonSerializer.Deserialize<IngestPlateReadsRequest>(bytes, Host)));
        Assert.StartsWith("unreadable", Outcome(() => PlateReadsJson.Parse(bytes)));
    }

    /// <summary>The reads as JSON, or "refused field" / "unreadable field" as the host's exception handler would name it.</summary>
    private static string Outcome(Func<IngestPlateReadsRequest?> read)
    {
        try
        {
            var request = read();
            return "read " + JsonSerializer.Serialize(request?.Reads is { } reads ? reads.ToList() : null);
        }
        catch (InputRefusedException e)
        {
            return "refused " + string.Join(",", e.Errors.Keys);
        }
        catch (JsonException e)
        {
            return "unreadable " + InputRefusedException.FieldOf(e.Path);
        }
    }
}
