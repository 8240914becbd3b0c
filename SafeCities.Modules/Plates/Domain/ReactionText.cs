using System.Globalization;

namespace SafeCities.Modules.Plates.Domain;

/// <summary>A read as the timeline line describes it.</summary>
internal sealed record LinkedReadLine(string Plate, string Region, DateTimeOffset CapturedAt, string? Make, string? Model, string? Color, string ReaderName);

/// <summary>The one-line timeline texts Plates reports to command staff (times in UTC).</summary>
internal static class ReactionText
{
    /// <summary>How many vehicles a captured-reads line names before "and N more".</summary>
    public const int MaxPlatesNamed = 5;

    public static string Armed(int readers, int radiusMeters, ArmingWindow window) => readers == 0
        ? $"No plate readers within {radiusMeters} m"
        : $"{readers} plate reader{(readers == 1 ? "" : "s")} armed within {radiusMeters} m, reads {Time(window.Start)}–{Time(window.End)} UTC";

    /// <summary>"2 vehicles read: ABC1234 (silver Honda Civic) at LPR Alabama Ave 01:58, …" — one vehicle per plate, first sighting, at most five named.</summary>
    public static string Captured(IEnumerable<LinkedReadLine> reads)
    {
        var vehicles = reads.GroupBy(r => (r.Plate, r.Region)).Select(g => g.MinBy(r => r.CapturedAt)!).OrderBy(r => r.CapturedAt).ThenBy(r => r.Plate,
            StringComparer.Ordinal).ToList();
        var named = string.Join(", ", vehicles.Take(MaxPlatesNamed).Select(v => $"{v.Plate}{Vehicle(v)} at {v.ReaderName} {Time(v.CapturedAt)}"));
        var more = vehicles.Count > MaxPlatesNamed ? $" and {vehicles.Count - MaxPlatesNamed} more" : "";
        return $"{vehicles.Count} vehicle{(vehicles.Count == 1 ? "" : "s")} read: {named}{more}";
    }

    private static string Vehicle(LinkedReadLine r)
    {
        var parts = new[] { r.Color?.Trim().ToLowerInvariant(), r.Make?.Trim(), r.Model?.Trim() }.Where(p => !string.IsNullOrEmpty(p)).ToList();
        return parts.Count == 0 ? "" : $" ({string.Join(' ', parts)})";
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture);
}
