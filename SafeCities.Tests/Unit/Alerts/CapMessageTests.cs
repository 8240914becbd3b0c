using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using Microsoft.Extensions.Time.Testing;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.PublicAlerts;
using Xunit.Abstractions;

namespace SafeCities.Tests.Unit.Alerts;

/// <summary>
/// Every kind of CAP message the public alerts can issue — Alert, Update, Cancel; circle and polygon; English only and English + Spanish;
/// plain and IPAWS-shaped — is valid against the OASIS CAP 1.2 schema (shared data <c>cap/CAP-v1.2.xsd</c>), and carries what the IPAWS
/// profile asks for when it is on.
/// </summary>
public sealed class CapMessageTests(ITestOutputHelper output)
{
    private static readonly XNamespace Cap = CapMessage.Cap;
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 15, 30, 12, 345, TimeSpan.Zero);

    private static readonly IReadOnlyList<GeoPointDto> Square =
        [new(38.850, -76.995), new(38.850, -76.990), new(38.855, -76.990), new(38.855, -76.995)];

    internal static PublicAlertMessage Message(string msgType, bool polygon, bool spanish, Guid thread, Guid? replaces = null, string? note = null,
        string? longText = null)
    {
        var id = Guid.CreateVersion7();
        var points = polygon ? CapArea.Closed(Square) : CapArea.CirclePolygon(38.8531, -76.9929, 800);
        return new PublicAlertMessage
        {
            Id = id, ThreadId = msgType == "Alert" ? id : thread, MsgType = msgType, ReplacesId = replaces, Event = "Armed suspect", Category = "Security",
            Severity = "Severe", Urgency = msgType == "Cancel" ? "Past" : "Immediate", Certainty = "Observed", ResponseType = msgType == "Cancel" ? "AllClear" : "Shelter",
            Onset = Now, Expires = Now.AddHours(3), AreaDescription = "Congress Heights & around <Alabama Ave>",
            CircleLatitude = polygon ? null : 38.8531, CircleLongitude = polygon ? null : -76.9929, CircleRadiusMeters = polygon ? null : 800,
            Polygon = polygon ? CapArea.FormatPolygon(Square) : null, Area = CapArea.Geometry(points),
            HeadlineEn = "Police activity: shelter in place near Alabama Ave SE",
            DescriptionEn = longText ?? "Police are searching for an armed suspect near Alabama Ave SE & 4th St.",
            InstructionEn = "Stay indoors, lock doors, stay away from windows. Call 911 if you see the suspect.",
            HeadlineEs = spanish ? "Actividad policial: refúgiese cerca de Alabama Ave SE" : null,
            DescriptionEs = spanish ? "La policía busca a un sospechoso armado." : null,
            InstructionEs = spanish ? "Permanezca adentro y llame al 911 si ve al sospechoso." : null,
            Note = note, CreatedBy = "commander@safecities.test", CreatedAt = Now,
        };
    }

    /// <summary>Alert → Update → Cancel of one thread, issued in turn (each referencing the earlier ones).</summary>
    internal static IReadOnlyList<PublicAlertMessage> Thread(bool polygon, bool spanish, PublicAlertsOptions options)
    {
        var alert = Message("Alert", polygon, spanish, Guid.Empty);
        PublicAlertRules.Issue(alert, "admin@safecities.test", Now, [], options);
        var update = Message("Update", !polygon, spanish, alert.ThreadId, alert.Id);
        PublicAlertRules.Issue(update, "admin@safecities.test", Now.AddMinutes(10), [alert], options);
        var cancel = Message("Cancel", !polygon, spanish, alert.ThreadId, update.Id, note: "Suspect in custody");
        PublicAlertRules.Issue(cancel, "commander@safecities.test", Now.AddMinutes(40), [alert, update], options);
        return [alert, update, cancel];
    }

    private static XmlSchemaSet? schemas;

    private XmlSchemaSet? Schemas()
    {
        if (schemas is not null)
            return schemas;
        if (SharedData.FileOrSkip("cap/CAP-v1.2.xsd", output) is not { } xsd)
            return null;
        var set = new XmlSchemaSet();
        using (var reader = XmlReader.Create(xsd, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit }))
            set.Add(null, reader);
        set.Compile();
        return schemas = set;
    }

    /// <summary>The schema's complaints about <paramref name="xml"/> (empty: valid).</summary>
    /// <param name="warnings">Also report warnings (an element the schema does not know); the official IPAWS example carries an XML-DSig
    /// signature, which the schema admits laxly and warns about.</param>
    internal static List<string> SchemaErrors(XmlSchemaSet set, string xml, bool warnings = true)
    {
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = set, DtdProcessing = DtdProcessing.Prohibit };
        settings.ValidationFlags |= XmlSchemaValidationFlags.ReportValidationWarnings;
        settings.ValidationEventHandler += (_, e) =>
        {
            if (warnings || e.Severity == XmlSeverityType.Error)
                errors.Add($"{e.Severity}: {e.Message} (line {e.Exception?.LineNumber})");
        };
        using var reader = XmlReader.Create(new StringReader(xml), settings);
        while (reader.Read())
        {
        }
        return errors;
    }

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    [InlineData(true, true, false)]
    [InlineData(false, false, true)]
    [InlineData(true, true, true)]
    [InlineData(false, true, true)]
    public void Every_message_kind_is_valid_CAP_1_2_against_the_OASIS_schema(bool polygon, bool spanish, bool ipaws)
    {
        if (Schemas() is not { } set)
            return;
        var options = new PublicAlertsOptions { IpawsProfile = ipaws };
        foreach (var m in Thread(polygon, spanish, options))
        {
            var errors = SchemaErrors(set, m.Xml!);
            Assert.True(errors.Count == 0, $"{m.MsgType} (polygon {polygon}, spanish {spanish}, ipaws {ipaws}): {string.Join("; ", errors)}\n{m.Xml}");
            var alert = XDocument.Parse(m.Xml!).Root!;
            Assert.Equal(m.MsgType, alert.Element(Cap + "msgType")!.Value);
            Assert.Equal(spanish ? ["en-US", "es-US"] : ["en-US"], alert.Elements(Cap + "info").Select(i => i.Element(Cap + "language")!.Value).ToArray());
            // CAP times: whole seconds, an explicit offset, never "Z".
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-00:00$", alert.Element(Cap + "sent")!.Value);
            foreach (var area in alert.Descendants(Cap + "area"))
            {
                foreach (var p in area.Elements(Cap + "polygon").Select(e => e.Value.Split(' ')))
                {
                    Assert.True(p.Length >= 4, "a CAP polygon has at least 4 points");
                    Assert.Equal(p[0], p[^1]);   // closed
                    Assert.All(p, pair => Assert.Matches(@"^-?\d+(\.\d+)?,-?\d+(\.\d+)?$", pair));
                }
                foreach (var c in area.Elements(Cap + "circle"))
                    Assert.Matches(@"^-?\d+(\.\d+)?,-?\d+(\.\d+)? \d+(\.\d+)?$", c.Value);
                Assert.True(area.Elements(Cap + "polygon").Any() || area.Elements(Cap + "circle").Any());
            }
        }
        output.WriteLine(Thread(polygon, spanish, options)[2].Xml);
    }

    [Fact]
    public void Updates_and_cancels_reference_every_earlier_message_of_the_thread_as_sender_identifier_sent()
    {
        var options = new PublicAlertsOptions { Sender = "rtcc@city.example" };
        var (alert, update, cancel) = Thread(false, true, options) switch { var t => (t[0], t[1], t[2]) };
        static string? References(PublicAlertMessage m) => XDocument.Parse(m.Xml!).Root!.Element(Cap + "references")?.Value;

        Assert.Null(References(alert));
        Assert.Equal($"rtcc@city.example,{alert.Identifier},2026-12-04T15:30:12-00:00", References(update));
        Assert.Equal($"rtcc@city.example,{alert.Identifier},2026-12-04T15:30:12-00:00 rtcc@city.example,{update.Identifier},2026-12-04T15:40:12-00:00",
            References(cancel));
        Assert.Equal("Suspect in custody", XDocument.Parse(cancel.Xml!).Root!.Element(Cap + "note")!.Value);
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 15, 30, 12, TimeSpan.Zero), alert.Sent);   // the milliseconds are dropped: references match the XML
    }

    [Fact]
    public void The_schema_check_can_fail_a_Z_time_an_unknown_category_and_a_misplaced_element_are_refused()
    {
        if (Schemas() is not { } set)
            return;
        var alert = Thread(false, false, new PublicAlertsOptions())[0];
        Assert.Empty(SchemaErrors(set, alert.Xml!));
        Assert.NotEmpty(SchemaErrors(set, alert.Xml!.Replace("-00:00</sent>", "Z</sent>", StringComparison.Ordinal)));
        Assert.NotEmpty(SchemaErrors(set, alert.Xml!.Replace("<category>Security</category>", "<category>Crime</category>", StringComparison.Ordinal)));
        var doc = XDocument.Parse(alert.Xml!);
        var info = doc.Root!.Element(Cap + "info")!;
        info.Element(Cap + "headline")!.AddBeforeSelf(new XElement(Cap + "area", new XElement(Cap + "areaDesc", "x")));
        Assert.NotEmpty(SchemaErrors(set, doc.ToString()));
        // …while the official examples pass.
        foreach (var example in new[] { "cap12_appendixA2_severe_thunderstorm.xml", "cap12_appendixA3_earthquake_update.xml", "ipaws_real_local_area_emergency_police.xml" })
            if (SharedData.FileOrSkip("cap/" + example, output) is { } path)
                Assert.Empty(SchemaErrors(set, File.ReadAllText(path), warnings: false));
    }

    [Fact]
    public void IPAWS_shape_WEA_texts_of_at_most_90_and_360_characters_SAME_codes_expires_and_polygons_of_at_most_100_points()
    {
        var options = new PublicAlertsOptions { IpawsProfile = true, IpawsSameGeocode = "011001", IpawsEventCode = "LEW" };
        var longText = string.Join(' ', Enumerable.Repeat("Police are searching the blocks between Alabama Ave and Martin Luther King Jr Ave.", 12));
        var alert = Message("Alert", false, true, Guid.Empty, longText: longText);
        PublicAlertRules.Issue(alert, "admin@safecities.test", Now, [], options);
        var root = XDocument.Parse(alert.Xml!).Root!;
        Assert.Equal("IPAWSv1.0", root.Element(Cap + "code")!.Value);
        foreach (var info in root.Elements(Cap + "info"))
        {
            string Parameter(string name) => info.Elements(Cap + "parameter").Single(p => p.Element(Cap + "valueName")!.Value == name).Element(Cap + "value")!.Value;
            var shortText = Parameter("CMAMtext");
            var longWea = Parameter("CMAMlongtext");
            output.WriteLine($"{shortText.Length}: {shortText}\n{longWea.Length}: {longWea}");
            Assert.InRange(shortText.Length, 20, CapMessage.WeaShortMax);
            Assert.InRange(longWea.Length, shortText.Length, CapMessage.WeaLongMax);
            if (info.Element(Cap + "language")!.Value == "en-US")
            {
                // The long English description is cut at a word, within 360, marked with "...".
                Assert.InRange(longWea.Length, 300, CapMessage.WeaLongMax);
                Assert.EndsWith("...", longWea);
            }
            Assert.NotNull(info.Element(Cap + "expires"));
            Assert.Equal("LEW", info.Element(Cap + "eventCode")!.Element(Cap + "value")!.Value);
            var area = info.Element(Cap + "area")!;
            Assert.Equal("011001", area.Element(Cap + "geocode")!.Element(Cap + "value")!.Value);
            // A circle is also given as a polygon (receivers that take polygons only), within the profile's 100 points.
            var polygon = area.Element(Cap + "polygon")!.Value.Split(' ');
            Assert.InRange(polygon.Length, 4, 100);
        }
        Assert.StartsWith("Actividad policial", XDocument.Parse(alert.Xml!).Root!.Elements(Cap + "info").Last()
            .Elements(Cap + "parameter").First(p => p.Element(Cap + "valueName")!.Value == "CMAMtext").Element(Cap + "value")!.Value);

        var (s, l) = CapMessage.WeaTexts("Shelter in place", null, "Stay inside.");
        Assert.Equal("Shelter in place. Stay inside.", s);
        Assert.Equal(s, l);
    }

    [Fact]
    public void The_IPAWS_profile_refuses_a_polygon_of_more_than_100_points_and_a_missing_expiry()
    {
        var clock = new FakeTimeProvider(Now);
        var ipaws = new DraftPublicAlertCommandValidator(clock, Microsoft.Extensions.Options.Options.Create(new PublicAlertsOptions { IpawsProfile = true }));
        var plain = new DraftPublicAlertCommandValidator(clock, Microsoft.Extensions.Options.Options.Create(new PublicAlertsOptions()));
        var ring = CapArea.CirclePolygon(38.85, -76.99, 1000);   // 41 points
        var many = Enumerable.Range(0, 120).Select(i =>
        {
            var (lat, lon) = SafeCities.Modules.Shared.Geo.GeoMath.Offset(38.85, -76.99, 900, i * 3.0);
            return new GeoPointDto(lat, lon);
        }).ToList();
        var good = ValidContent(Now) with { CircleLatitude = null, CircleLongitude = null, CircleRadiusMeters = null, Polygon = ring };

        Assert.True(ipaws.Validate(Draft(good)).IsValid);
        var tooMany = ipaws.Validate(Draft(good with { Polygon = many }));
        Assert.Contains(tooMany.Errors, e => e.ErrorMessage.Contains("at most 100 points", StringComparison.Ordinal));
        Assert.True(plain.Validate(Draft(good with { Polygon = many })).IsValid);
        Assert.Contains(ipaws.Validate(Draft(good with { Expires = null })).Errors, e => e.ErrorMessage == "IPAWS requires an expiry time.");
        Assert.True(plain.Validate(Draft(good with { Expires = null })).IsValid);
    }

    internal static PublicAlertContent ValidContent(DateTimeOffset now) => new(
        "Armed suspect", "Security", "Severe", "Immediate", "Observed", "Shelter", now, now.AddHours(2), "Congress Heights", 38.8531, -76.9929, 600, null,
        "Shelter in place near Alabama Ave SE", "Police are searching for an armed suspect.", "Stay indoors.",
        "Refúgiese cerca de Alabama Ave SE", "La policía busca a un sospechoso armado.", "Permanezca adentro.");

    private static DraftPublicAlertCommand Draft(PublicAlertContent c) => new("commander@safecities.test", c);

    [Fact]
    public void Hostile_drafts_are_refused_with_a_reason_per_field()
    {
        var v = new DraftPublicAlertCommandValidator(new FakeTimeProvider(Now), Microsoft.Extensions.Options.Options.Create(new PublicAlertsOptions()));
        var good = ValidContent(Now);
        Assert.True(v.Validate(Draft(good)).IsValid, string.Join("; ", v.Validate(Draft(good)).Errors));

        string Refusal(PublicAlertContent c) => string.Join("; ", v.Validate(Draft(c)).Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}"));
        // A bow tie crosses itself.
        Assert.Contains("crosses itself", Refusal(good with
        {
            CircleLatitude = null, CircleLongitude = null, CircleRadiusMeters = null,
            Polygon = [new(38.85, -76.99), new(38.86, -76.98), new(38.85, -76.98), new(38.86, -76.99)],
        }), StringComparison.Ordinal);
        Assert.Contains("at least 3 different points", Refusal(good with
        {
            CircleLatitude = null, CircleLongitude = null, CircleRadiusMeters = null, Polygon = [new(38.85, -76.99), new(38.86, -76.98)],
        }), StringComparison.Ordinal);
        Assert.Contains("not both", Refusal(good with { Polygon = Square }), StringComparison.Ordinal);
        Assert.Contains("not both", Refusal(good with { CircleLatitude = null, CircleLongitude = null, CircleRadiusMeters = null }), StringComparison.Ordinal);
        Assert.Contains("radius", Refusal(good with { CircleRadiusMeters = 5_000_000 }), StringComparison.Ordinal);
        // Absurd and inconsistent dates.
        Assert.Contains("at most 14 days ahead", Refusal(good with { Expires = new DateTimeOffset(2199, 1, 1, 0, 0, 0, TimeSpan.Zero) }), StringComparison.Ordinal);
        Assert.Contains("in the future", Refusal(good with { Onset = Now.AddHours(-2), Expires = Now.AddHours(-1) }), StringComparison.Ordinal);
        Assert.Contains("after the onset", Refusal(good with { Onset = Now.AddHours(5), Expires = Now.AddHours(2) }), StringComparison.Ordinal);
        Assert.Contains("onset must lie", Refusal(good with { Onset = new DateTimeOffset(1901, 1, 1, 0, 0, 0, TimeSpan.Zero) }), StringComparison.Ordinal);
        // Control characters, line breaks in a headline, unknown vocabulary, missing texts.
        Assert.Contains("control character", Refusal(good with { DescriptionEn = "bad\u0007bell" }), StringComparison.Ordinal);
        Assert.Contains("control character", Refusal(good with { HeadlineEn = "two\nlines" }), StringComparison.Ordinal);
        Assert.Contains("Choose the category", Refusal(good with { Category = "Crime" }), StringComparison.Ordinal);
        Assert.Contains("Write the English headline", Refusal(good with { HeadlineEn = " " }), StringComparison.Ordinal);
        Assert.Contains("Spanish headline too", Refusal(good with { HeadlineEs = null }), StringComparison.Ordinal);
        Assert.Contains("at most 160", Refusal(good with { HeadlineEn = new string('x', 161) }), StringComparison.Ordinal);
    }
}
