using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using NetTopologySuite.Geometries;
using SafeCities.Modules.Alerts.PublicAlerts;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Modules.Alerts.InboundCap;

internal sealed record ParsedCapArea(string Description, Geometry? Area, string? Geocodes);

internal sealed record CapReference(string Sender, string Identifier);

/// <summary>What we keep of a received CAP message (the first English <c>info</c>, else the first, for the texts; every info's areas).</summary>
internal sealed record ParsedCap(string Version, string Identifier, string Sender, DateTimeOffset Sent, string Status, string MsgType, string Scope,
    string? Event, string? Severity, string? Urgency, string? Certainty, string? Headline, string? SenderName, DateTimeOffset? Expires,
    string? References, IReadOnlyList<CapReference> Referenced, IReadOnlyList<ParsedCapArea> Areas, string Xml);

/// <summary>
/// Reads CAP 1.2 and 1.1 messages from other authorities: leniently (unknown elements ignored, vocabularies matched without case, texts cut to
/// what we keep, "Z" and missing offsets taken as UTC) but safely — no DTD (so no entity of any kind, external or expanding), no resolver,
/// a bounded document. Anything we cannot use is refused with the reason, in words a sender's engineer can act on.
/// </summary>
internal static class CapParser
{
    /// <summary>CAP 1.2's namespace is the one our own messages are written in.</summary>
    public static readonly XNamespace Cap12 = CapMessage.Cap;
    public static readonly XNamespace Cap11 = "urn:oasis:names:tc:emergency:cap:1.1";

    private static readonly string[] Statuses = ["Actual", "Exercise", "System", "Test", "Draft"];
    private static readonly string[] MsgTypes = ["Alert", "Update", "Cancel", "Ack", "Error"];
    private static readonly string[] Scopes = ["Public", "Restricted", "Private"];

    public static XmlReaderSettings Settings => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = InboundCapLimits.MaxBodyBytes,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = false,
    };

    /// <summary>The message, or why it is refused.</summary>
    public static (ParsedCap? Cap, string? Refusal) Parse(byte[] body, DateTimeOffset now)
    {
        XDocument document;
        try
        {
            using var stream = new MemoryStream(body, writable: false);
            using var reader = XmlReader.Create(stream, Settings);
            document = XDocument.Load(reader, LoadOptions.None);
        }
        catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            return (null, "The message has a DTD (<!DOCTYPE …>): CAP has none, and a DTD can declare external entities. Send the message without it.");
        }
        catch (XmlException e)
        {
            return (null, $"The body is not well-formed XML: {e.Message}");
        }
        var root = document.Root!;
        var ns = root.Name.Namespace;
        if (root.Name.LocalName != "alert" || (ns != Cap12 && ns != Cap11))
            return (null, $"The root element is {{{ns.NamespaceName}}}{root.Name.LocalName}; a CAP message is an <alert> in {Cap12.NamespaceName} (CAP 1.2) "
                          + $"or {Cap11.NamespaceName} (CAP 1.1).");
        string? Text(XElement parent, string name) => parent.Element(ns + name)?.Value.Trim() is { Length: > 0 } v ? v : null;

        var missing = new[] { "identifier", "sender", "sent", "status", "msgType", "scope" }.Where(n => Text(root, n) is null).ToList();
        if (missing.Count > 0)
            return (null, $"The message lacks {string.Join(", ", missing)} (required by CAP).");
        var identifier = Text(root, "identifier")!;
        var sender = Text(root, "sender")!;
        if (identifier.Length > InboundCapLimits.IdentityLength || sender.Length > InboundCapLimits.IdentityLength)
            return (null, $"The identifier and the sender may each have at most {InboundCapLimits.IdentityLength} characters.");
        if (Time(Text(root, "sent")!) is not { } sent)
            return (null, $"sent '{Short(Text(root, "sent")!)}' is not a CAP date-time (e.g. 2026-05-01T14:30:00-05:00).");
        if (sent < InboundCapLimits.Earliest || sent > now + InboundCapLimits.MaxClockAhead)
            return (null, $"sent {CapMessage.Time(sent)} is not a plausible time (before 1990 or more than a day ahead of ours).");
        if (Vocabulary(Text(root, "status")!, Statuses) is not { } status)
            return (null, $"status must be one of {string.Join(", ", Statuses)}.");
        if (Vocabulary(Text(root, "msgType")!, MsgTypes) is not { } msgType)
            return (null, $"msgType must be one of {string.Join(", ", MsgTypes)}.");
        if (Vocabulary(Text(root, "scope")!, Scopes) is not { } scope)
            return (null, $"scope must be one of {string.Join(", ", Scopes)}.");
        var references = Text(root, "references");
        var referenced = references is null ? [] : References(references);
        if (msgType is CapMessageTypes.Update or CapMessageTypes.Cancel && referenced.Count == 0)
            return (null, $"An {msgType} must name the message(s) it follows in references (\"sender,identifier,sent\" …).");

        var infos = root.Elements(ns + "info").ToList();
        var primary = infos.FirstOrDefault(i => Text(i, "language") is not { } l || l.StartsWith("en", StringComparison.OrdinalIgnoreCase)) ?? infos.FirstOrDefault();
        DateTimeOffset? expires = null;
        foreach (var info in infos)
        {
            if (Text(info, "expires") is not { } text)
                continue;
            if (Time(text) is not { } at || at < sent || at > sent.AddYears(InboundCapLimits.MaxYearsToExpiry))
                return (null, $"expires '{Short(text)}' is not a CAP date-time between sent and {InboundCapLimits.MaxYearsToExpiry} years after it.");
            expires = expires is { } e && e > at ? e : at;
        }

        var areas = new List<ParsedCapArea>();
        foreach (var area in infos.SelectMany(i => i.Elements(ns + "area")))
        {
            if (areas.Count == InboundCapLimits.MaxAreas)
                return (null, $"A message may have at most {InboundCapLimits.MaxAreas} areas.");
            var (parsed, refusal) = Area(area, ns, areas.Count + 1);
            if (refusal is not null)
                return (null, refusal);
            areas.Add(parsed!);
        }

        return (new ParsedCap(ns == Cap12 ? "1.2" : "1.1", identifier, sender, sent, status, msgType, scope,
            InboundCapText.Cut(primary is null ? null : Text(primary, "event"), InboundCapText.Event),
            InboundCapText.Cut(primary is null ? null : Text(primary, "severity"), InboundCapText.Code),
            InboundCapText.Cut(primary is null ? null : Text(primary, "urgency"), InboundCapText.Code),
            InboundCapText.Cut(primary is null ? null : Text(primary, "certainty"), InboundCapText.Code),
            InboundCapText.Cut(primary is null ? null : Text(primary, "headline"), InboundCapText.Headline),
            InboundCapText.Cut(primary is null ? null : Text(primary, "senderName"), InboundCapText.SenderName),
            expires, InboundCapText.Cut(references, 4000), referenced, areas, document.ToString(SaveOptions.DisableFormatting)), null);
    }

    private static (ParsedCapArea? Area, string? Refusal) Area(XElement area, XNamespace ns, int number)
    {
        var parts = new List<Geometry>();
        foreach (var polygon in area.Elements(ns + "polygon").Select(p => p.Value.Trim()))
        {
            if (CapArea.TryParsePolygon(polygon) is not { } points)
                return (null, $"Area {number}: the polygon '{Short(polygon)}' is not \"lat,lon lat,lon …\" with latitudes in [-90, 90] and longitudes in [-180, 180].");
            if (CapArea.PolygonRefusal(points, InboundCapLimits.MaxPolygonPoints) is { } why)
                return (null, $"Area {number}: {why}");
            parts.Add(CapArea.Geometry(CapArea.Closed(points)));
        }
        foreach (var circle in area.Elements(ns + "circle").Select(c => c.Value.Trim()))
        {
            if (CapArea.TryParseCircle(circle) is not { } c || c.RadiusMeters > InboundCapLimits.MaxCircleRadiusKm * 1000)
                return (null, $"Area {number}: the circle '{Short(circle)}' is not \"lat,lon radius-km\" with a radius from 0 to {InboundCapLimits.MaxCircleRadiusKm} km.");
            parts.Add(c.RadiusMeters == 0
                ? GeoMath.Point(c.Centre.Latitude, c.Centre.Longitude)
                : CapArea.Geometry(CapArea.CirclePolygon(c.Centre.Latitude, c.Centre.Longitude, c.RadiusMeters)));
        }
        var geocodes = area.Elements(ns + "geocode")
            .Select(g => $"{g.Element(ns + "valueName")?.Value.Trim()}={g.Element(ns + "value")?.Value.Trim()}").ToList();
        Geometry? geometry = parts.Count switch
        {
            0 => null,
            1 => parts[0],
            _ when parts.All(p => p is Polygon) => GeoMath.Factory.CreateMultiPolygon([.. parts.Cast<Polygon>()]),
            _ => GeoMath.Factory.CreateGeometryCollection([.. parts]),
        };
        var description = area.Element(ns + "areaDesc")?.Value.Trim() is { Length: > 0 } d ? d : "(no description)";
        return (new ParsedCapArea(InboundCapText.Cut(description, InboundCapText.AreaDescription)!, geometry,
            geocodes.Count == 0 ? null : InboundCapText.Cut(string.Join("; ", geocodes), InboundCapText.Geocodes)), null);
    }

    /// <summary>"sender,identifier,sent" triples separated by white space (CAP 1.2 §3.2.1); a token without two commas is skipped (lenient).</summary>
    private static List<CapReference> References(string references) =>
        [.. references.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(t => t.Split(','))
            .Where(p => p.Length == 3 && p[0].Length > 0 && p[1].Length > 0).Select(p => new CapReference(p[0], p[1])).Distinct()];

    private static string? Vocabulary(string value, string[] words) => words.FirstOrDefault(w => string.Equals(w, value, StringComparison.OrdinalIgnoreCase));

    /// <summary>CAP's date-time with its offset; lenient: "Z" or no offset is UTC, fractions of seconds are kept.</summary>
    private static DateTimeOffset? Time(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var at)
        && text.Contains('T', StringComparison.Ordinal)
            ? new DateTimeOffset(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero)   // PostgreSQL keeps microseconds: a repeat must compare equal
            : null;

    private static string Short(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
