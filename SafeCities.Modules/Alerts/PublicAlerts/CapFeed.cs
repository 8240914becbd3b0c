using System.Xml.Linq;

namespace SafeCities.Modules.Alerts.PublicAlerts;

/// <summary>The Atom index of the published CAP messages (RFC 4287): one entry per message, linking to its CAP XML.</summary>
internal static class CapFeed
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    public static string Build(IReadOnlyList<PublicAlertMessage> messages, string baseUrl, PublicAlertsOptions options, DateTimeOffset emptyUpdated)
    {
        var self = baseUrl + "cap/alerts.atom";
        var updated = messages.Count == 0 ? emptyUpdated : messages.Max(m => m.Sent!.Value);
        var feed = new XElement(Atom + "feed",
            new XElement(Atom + "id", self),
            new XElement(Atom + "title", $"{options.SenderName}: public alerts"),
            new XElement(Atom + "updated", Rfc3339(updated)),
            new XElement(Atom + "author", new XElement(Atom + "name", options.SenderName)),
            new XElement(Atom + "link", new XAttribute("rel", "self"), new XAttribute("href", self)),
            new XElement(Atom + "link", new XAttribute("rel", "alternate"), new XAttribute("type", "text/html"), new XAttribute("href", baseUrl + "alerts")));
        foreach (var m in messages.OrderByDescending(m => m.Sent))
        {
            var url = $"{baseUrl}cap/alerts/{Uri.EscapeDataString(m.Identifier!)}.xml";
            var summary = m.MsgType == CapMessageTypes.Cancel ? $"Cancelled. {m.Note}".Trim() : m.DescriptionEn ?? m.HeadlineEn;
            feed.Add(new XElement(Atom + "entry",
                new XElement(Atom + "id", url),
                new XElement(Atom + "title", m.MsgType == CapMessageTypes.Alert ? m.HeadlineEn : $"{m.MsgType}: {m.HeadlineEn}"),
                new XElement(Atom + "updated", Rfc3339(m.Sent!.Value)),
                new XElement(Atom + "summary", summary),
                new XElement(Atom + "category", new XAttribute("term", m.MsgType)),
                new XElement(Atom + "link", new XAttribute("rel", "alternate"), new XAttribute("type", "application/cap+xml"), new XAttribute("href", url))));
        }
        return new XDeclaration("1.0", "utf-8", null) + Environment.NewLine + feed.ToString(SaveOptions.None);
    }

    private static string Rfc3339(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
