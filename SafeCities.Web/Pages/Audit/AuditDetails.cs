using SafeCities.Modules.Shared.Text;
using System.Globalization;
using System.Text.Json;
using SafeCities.Web.Platform.Clock;

namespace SafeCities.Web.Pages.Audit;

/// <summary>An audit entry's details as a reviewer reads them: the top-level fields as <c>key: value</c>, lists as their count and long
/// texts cut, instead of kilobytes of raw JSON (the full JSON stays one click away, and in the CSV); an instant is shown in the city's time.</summary>
internal static class AuditDetails
{
    private const int MaxText = 60;

    public static string Summary(string json, CityClock clock)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                return Cut(doc.RootElement.ToString());
            return string.Join(" · ", doc.RootElement.EnumerateObject()
                .Where(p => p.Value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
                .Select(p => $"{p.Name}: {Value(p.Value, clock)}"));
        }
        catch (JsonException)
        {
            return Cut(json);
        }
    }

    /// <summary>Whether the summary leaves something out, so that the full JSON is worth offering.</summary>
    public static bool IsLong(string json) => json.Length > 200 || json.Contains('[', StringComparison.Ordinal);

    private static string Value(JsonElement v, CityClock clock) => v.ValueKind switch
    {
        JsonValueKind.String when IsInstant(v.GetString()!, out var at) => clock.Format(at, CityTimeFormat.DateTime),
        JsonValueKind.Array => Plural.Count(v.GetArrayLength(), "item"),
        JsonValueKind.Object => $"{{{v.EnumerateObject().Count()} fields}}",
        JsonValueKind.String => Cut(v.GetString() ?? ""),
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        _ => v.ToString(),
    };

    /// <summary>An ISO 8601 date and time with its offset, as the modules write instants into their details.</summary>
    private static bool IsInstant(string s, out DateTimeOffset at)
    {
        at = default;
        return s.Length is >= 20 and <= 40 && s[10] == 'T' && (s.EndsWith('Z') || s[^6] is '+' or '-')
            && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out at);
    }

    private static string Cut(string s) => s.Length <= MaxText ? s : string.Concat(s.AsSpan(0, MaxText), "…");
}
