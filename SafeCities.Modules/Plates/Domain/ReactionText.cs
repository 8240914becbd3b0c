using SafeCities.Modules.Shared.Text;
using System.Globalization;

namespace SafeCities.Modules.Plates.Domain;

/// <summary>A read as the timeline line describes it.</summary>
internal sealed record LinkedReadLine(string Plate, string Region, DateTimeOffset CapturedAt, string? Make, string? Model, string? Color, string ReaderName);

/// <summary>
/// The one-line timeline texts Plates reports to command staff. They carry no clock time (the pages show each entry's time in the
/// city's zone): the window is said relative to the incident, a sighting relative to the first vehicle read.
/// </summary>
internal static class ReactionText
{
    /// <summary>How many vehicles a captured-reads line names before "and N more".</summary>
    public const int MaxPlatesNamed = 5;

    public static string Armed(int readers, int radiusMeters, ArmingWindow window, DateTimeOffset incidentAt) => readers == 0
        ? $"No plate readers within {radiusMeters} m"
        : $"{Plural.Count(readers, "plate reader")} armed within {radiusMeters} m, reads from {Minutes(incidentAt - window.Start)} before "
          + $"to {Minutes(window.End - incidentAt)} after the incident";

    /// <summary>The readers armed when the incident's location was corrected (ADR 0067).</summary>
    public static string Rearmed(int added, int radiusMeters, int armedBefore, int stay) =>
        "Location corrected: " + (added == 0
            ? $"no {(armedBefore > 0 ? "further " : "")}plate reader within {radiusMeters} m of it"
            : $"{Plural.Count(added, armedBefore > 0 ? "more plate reader" : "plate reader")} armed within {radiusMeters} m of it, for the same window")
        + (stay > 0 ? $"; {Plural.Count(stay, "reader")} armed at the first location {Plural.Word(stay, "stays", "stay")} armed" : "");

    /// <summary>The incident stood down (ADR 0068): its readers no longer tie reads captured from now on; what they tied stays with it.</summary>
    public static string Disarmed(string why, int readers, int tied) =>
        $"{why}: the {Plural.Count(readers, "plate reader")} armed for it {Plural.Word(readers, "stops", "stop")} tying reads to it; "
        + (tied == 0 ? "no read had been tied to it." : $"the {Plural.Count(tied, "read")} tied so far {Plural.Word(tied, "stays", "stay")} with it.");

    /// <summary>"2 vehicles read: ABC1234 (silver Honda Civic) at LPR Alabama Ave, XYZ987 at LPR 2 3 min later, …" — one vehicle per plate, first
    /// sighting, at most five named.</summary>
    public static string Captured(IEnumerable<LinkedReadLine> reads)
    {
        var vehicles = reads.GroupBy(r => (r.Plate, r.Region)).Select(g => g.MinBy(r => r.CapturedAt)!).OrderBy(r => r.CapturedAt).ThenBy(r => r.Plate,
            StringComparer.Ordinal).ToList();
        var first = vehicles.Count == 0 ? default : vehicles[0].CapturedAt;
        var named = string.Join(", ", vehicles.Take(MaxPlatesNamed).Select(v => $"{v.Plate}{Vehicle(v)} at {v.ReaderName}{Later(v.CapturedAt - first)}"));
        var more = vehicles.Count > MaxPlatesNamed ? $" and {vehicles.Count - MaxPlatesNamed} more" : "";
        return $"{Plural.Count(vehicles.Count, "vehicle")} read: {named}{more}";
    }

    private static string Vehicle(LinkedReadLine r)
    {
        var parts = new[] { r.Color?.Trim().ToLowerInvariant(), r.Make?.Trim(), r.Model?.Trim() }.Where(p => !string.IsNullOrEmpty(p)).ToList();
        return parts.Count == 0 ? "" : $" ({string.Join(' ', parts)})";
    }

    private static string Later(TimeSpan after) => after < TimeSpan.FromMinutes(1) ? "" : $" {Minutes(after)} later";

    private static string Minutes(TimeSpan span) => span.TotalMinutes >= 120
        ? $"{(int)span.TotalHours} h {span.Minutes} min"
        : $"{((int)Math.Round(span.TotalMinutes)).ToString(CultureInfo.InvariantCulture)} min";
}
