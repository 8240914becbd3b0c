using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace SafeCities.Modules.Alerts.PublicAlerts;

/// <summary>
/// Writes an issued message as CAP 1.2 (OASIS, <c>urn:oasis:names:tc:emergency:cap:1.2</c>) in the schema's element order: one <c>info</c> per
/// language, the area as a circle or a polygon, <c>references</c> naming every earlier message of the thread ("sender,identifier,sent").
/// With the IPAWS profile: <c>code</c> IPAWSv1.0, a SAME event code and geocode, the WEA texts (CMAMtext, CMAMlongtext) and a circle also
/// as a polygon.
/// </summary>
internal static class CapMessage
{
    public static readonly XNamespace Cap = "urn:oasis:names:tc:emergency:cap:1.2";
    public const int WeaShortMax = 90;
    public const int WeaLongMax = 360;

    /// <param name="earlier">The thread's earlier issued messages, oldest first (empty for the first Alert).</param>
    public static string Build(PublicAlertMessage m, IReadOnlyList<PublicAlertMessage> earlier, PublicAlertsOptions options)
    {
        var alert = new XElement(Cap + "alert",
            new XElement(Cap + "identifier", m.Identifier),
            new XElement(Cap + "sender", options.Sender),
            new XElement(Cap + "sent", Time(m.Sent!.Value)),
            new XElement(Cap + "status", options.Status),
            new XElement(Cap + "msgType", m.MsgType),
            new XElement(Cap + "scope", "Public"));
        if (options.IpawsProfile)
            alert.Add(new XElement(Cap + "code", "IPAWSv1.0"));
        if (m.Note is { Length: > 0 })
            alert.Add(new XElement(Cap + "note", m.Note));
        if (earlier.Count > 0)
            alert.Add(new XElement(Cap + "references", string.Join(' ', earlier.Select(e => $"{options.Sender},{e.Identifier},{Time(e.Sent!.Value)}"))));
        foreach (var text in m.Texts())
            alert.Add(Info(m, text, options));
        var document = new XDocument(new XDeclaration("1.0", "UTF-8", null), alert);
        using var writer = new Utf8StringWriter();
        document.Save(writer, SaveOptions.None);
        return writer.ToString();
    }

    private static XElement Info(PublicAlertMessage m, Contracts.PublicAlertTextDto text, PublicAlertsOptions options)
    {
        var info = new XElement(Cap + "info",
            new XElement(Cap + "language", text.Language),
            new XElement(Cap + "category", m.Category),
            new XElement(Cap + "event", m.Event),
            new XElement(Cap + "responseType", m.ResponseType),
            new XElement(Cap + "urgency", m.Urgency),
            new XElement(Cap + "severity", m.Severity),
            new XElement(Cap + "certainty", m.Certainty));
        if (options.IpawsProfile)
            info.Add(new XElement(Cap + "eventCode", new XElement(Cap + "valueName", "SAME"), new XElement(Cap + "value", options.IpawsEventCode)));
        if (m.Onset is { } onset)
            info.Add(new XElement(Cap + "onset", Time(onset)));
        if (m.Expires is { } expires)
            info.Add(new XElement(Cap + "expires", Time(expires)));
        info.Add(new XElement(Cap + "senderName", options.SenderName), new XElement(Cap + "headline", text.Headline));
        if (text.Description is { Length: > 0 })
            info.Add(new XElement(Cap + "description", text.Description));
        if (text.Instruction is { Length: > 0 })
            info.Add(new XElement(Cap + "instruction", text.Instruction));
        if (options.IpawsProfile)
        {
            var (shortText, longText) = WeaTexts(text.Headline, text.Description, text.Instruction);
            info.Add(Parameter("CMAMtext", shortText), Parameter("CMAMlongtext", longText));
        }
        var area = new XElement(Cap + "area", new XElement(Cap + "areaDesc", m.AreaDescription));
        if (m.Polygon is not null)
            area.Add(new XElement(Cap + "polygon", m.Polygon));
        else
        {
            if (options.IpawsProfile)
                area.Add(new XElement(Cap + "polygon", CapArea.FormatPolygon(CapArea.CirclePolygon(m.CircleLatitude!.Value, m.CircleLongitude!.Value, m.CircleRadiusMeters!.Value))));
            area.Add(new XElement(Cap + "circle", CapArea.FormatCircle(m.CircleLatitude!.Value, m.CircleLongitude!.Value, m.CircleRadiusMeters!.Value)));
        }
        if (options.IpawsProfile)
            area.Add(new XElement(Cap + "geocode", new XElement(Cap + "valueName", "SAME"), new XElement(Cap + "value", options.IpawsSameGeocode)));
        info.Add(area);
        return info;
    }

    private static XElement Parameter(string name, string value) =>
        new(Cap + "parameter", new XElement(Cap + "valueName", name), new XElement(Cap + "value", value));

    /// <summary>
    /// The WEA texts: the 90-character one is the headline, and the instruction when both fit; the 360-character one the headline, the
    /// instruction and the description. Cut at a word with "..." when too long (WEA counts characters; ASCII dots are in every WEA alphabet).
    /// </summary>
    public static (string Short, string Long) WeaTexts(string headline, string? description, string? instruction)
    {
        var h = Squash(headline);
        var withInstruction = instruction is { Length: > 0 } ? $"{h}. {Squash(instruction)}".Replace("..", ".", StringComparison.Ordinal) : h;
        var shortText = Fit(withInstruction.Length <= WeaShortMax ? withInstruction : h, WeaShortMax);
        var all = string.Join(' ', new[] { withInstruction, Squash(description ?? "") }.Where(t => t.Length > 0));
        return (shortText, Fit(all, WeaLongMax));
    }

    private static string Squash(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string Fit(string text, int max)
    {
        if (text.Length <= max)
            return text;
        var cut = text[..(max - 3)];
        var space = cut.LastIndexOf(' ');
        return (space > max / 2 ? cut[..space] : cut).TrimEnd(' ', ',', ';', '.') + "...";
    }

    /// <summary>CAP's date-time: seconds, an explicit offset, UTC as "-00:00" (CAP 1.2 §3.3.2; never "Z").</summary>
    public static string Time(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "-00:00";

    /// <summary>A strong validator of exactly these bytes.</summary>
    public static string ETagOf(string xml) =>
        "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(xml)).AsSpan(0, 16)) + "\"";

    private sealed class Utf8StringWriter : StringWriter
    {
        public Utf8StringWriter() : base(CultureInfo.InvariantCulture) { }
        public override Encoding Encoding => Encoding.UTF8;
    }
}
