using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace SafeCities.Tests.Integration.Alerts;

/// <summary>CAP messages as another authority would push them, and the push itself.</summary>
internal static class InboundCapKit
{
    public const string Cap12 = "urn:oasis:names:tc:emergency:cap:1.2";
    public const string Cap11 = "urn:oasis:names:tc:emergency:cap:1.1";

    public static string Identifier() => "TEST-" + Guid.NewGuid().ToString("N")[..12];

    public static string Time(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(-5)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>A message with a polygon and a 1.5 km circle around (lat, lon), sent now and expiring in two hours.</summary>
    public static string Message(string identifier, string sender = "eoc@county.example", string msgType = "Alert", string? references = null,
        double lat = 38.8530, double lon = -76.9930, string ns = Cap12, DateTimeOffset? sent = null, string headline = "Police activity: avoid the area",
        string? areas = null)
    {
        var at = sent ?? DateTimeOffset.UtcNow.AddMinutes(-1);
        var polygon = string.Join(' ', new[] { (lat - 0.01, lon - 0.01), (lat - 0.01, lon + 0.01), (lat + 0.01, lon + 0.01), (lat + 0.01, lon - 0.01), (lat - 0.01, lon - 0.01) }
            .Select(p => FormattableString.Invariant($"{p.Item1:0.######},{p.Item2:0.######}")));
        areas ??= $"""
                <area><areaDesc>Police perimeter</areaDesc><polygon>{polygon}</polygon></area>
                <area><areaDesc>Shelter radius</areaDesc><circle>{FormattableString.Invariant($"{lat + 0.02:0.######},{lon:0.######} 1.5")}</circle>
                  <geocode><valueName>SAME</valueName><value>011001</value></geocode></area>
            """;
        return $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <alert xmlns="{ns}">
              <identifier>{identifier}</identifier>
              <sender>{sender}</sender>
              <sent>{Time(at)}</sent>
              <status>Actual</status>
              <msgType>{msgType}</msgType>
              <scope>Public</scope>
              {(references is null ? "" : $"<references>{references}</references>")}
              <info>
                <language>en-US</language>
                <category>Security</category>
                <event>Law Enforcement Warning</event>
                <urgency>Immediate</urgency>
                <severity>Severe</severity>
                <certainty>Observed</certainty>
                <expires>{Time(at.AddHours(2))}</expires>
                <senderName>County Emergency Management</senderName>
                <headline>{headline}</headline>
                {areas}
              </info>
            </alert>
            """;
    }

    public static string Reference(string sender, string identifier, DateTimeOffset sent) => $"{sender},{identifier},{Time(sent)}";

    public static async Task<HttpResponseMessage> PushAsync(this AppFixture app, string key, string xml, string contentType = "application/cap+xml")
    {
        using var client = app.Client(key);
        return await client.PostAsync("api/v1/alerts/cap", new ByteArrayContent(Encoding.UTF8.GetBytes(xml)) { Headers = { ContentType = MediaTypeHeaderValue.Parse(contentType) } });
    }
}
