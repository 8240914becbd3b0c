using System.Globalization;
using System.Text.RegularExpressions;

namespace SafeCities.Modules.Shared.Time;

/// <summary>
/// The one clock of what people read: every time is shown in the city's time zone (<c>City:TimeZone</c>, an IANA id), labelled
/// with the zone's abbreviation ("EST", "EDT") or, where the zone has none, its offset ("UTC+01:00"); the UTC instant is on hover. The API
/// stays ISO 8601 with offset; a sentence for people (a page, a refusal's message) uses this clock, in the pages and in the modules alike. The browser's formatter (site.js <c>timeText</c>) gets the zone and the labels from the layout's
/// <c>&lt;body data-time-zone data-time-zone-labels&gt;</c> so that live rows show exactly what the server rendered.
/// </summary>
public sealed partial class CityClock
{
    public const string DefaultTimeZone = CityZone.Default;

    public CityClock(string? timeZoneId)
    {
        var id = string.IsNullOrWhiteSpace(timeZoneId) ? DefaultTimeZone : timeZoneId.Trim();
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) || !zone.HasIanaId)
            throw new InvalidOperationException($"City:TimeZone must be an IANA time zone id such as 'America/New_York'; got '{timeZoneId}'.");
        Zone = zone;
        StandardLabel = Abbreviation(zone.StandardName);
        DaylightLabel = zone.SupportsDaylightSavingTime ? Abbreviation(zone.DaylightName) : null;
    }

    public TimeZoneInfo Zone { get; }

    public string Id => Zone.Id;

    /// <summary>"EST" for "Eastern Standard Time"; null when the zone's name is not of that short form (then the offset labels the time).</summary>
    private string? StandardLabel { get; }

    private string? DaylightLabel { get; }

    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>The instant a calendar day of the city begins (a form's date fields are city dates).</summary>
    public DateTimeOffset StartOfDay(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    /// <summary>
    /// The instant a wall-clock time of the city names (a form's datetime-local, a typed "yyyy-MM-dd HH:mm"), with the offset the city had
    /// then; null for a time the clocks skip (the spring change). The repeated hour of the autumn
    /// change is read as standard time.
    /// </summary>
    public DateTimeOffset? FromLocal(DateTime local)
    {
        var wall = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return Zone.IsInvalidTime(wall) ? null : new DateTimeOffset(wall, Zone.GetUtcOffset(wall));
    }

    /// <summary>What a form says of a wall-clock time (as the person wrote it) that the clocks skip.</summary>
    public static string Skipped(string written) => $"{written} does not exist in the city's time zone (the clocks skip it).";

    /// <summary>The label of the zone at that instant: its abbreviation, or its offset from UTC.</summary>
    public string Label(DateTimeOffset instant)
    {
        var local = ToLocal(instant);
        var name = Zone.IsDaylightSavingTime(local) ? DaylightLabel : StandardLabel;
        return name ?? OffsetLabel(local.Offset);
    }

    /// <summary>The text of a time: <c>"14:03:05 EST"</c> (<see cref="CityTimeFormat.Time"/>) and so on; a date alone has no label.</summary>
    public string Format(DateTimeOffset instant, CityTimeFormat format = CityTimeFormat.Time)
    {
        var local = ToLocal(instant);
        return format switch
        {
            CityTimeFormat.Date => local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            CityTimeFormat.Minutes => $"{local.ToString("HH:mm", CultureInfo.InvariantCulture)} {Label(instant)}",
            CityTimeFormat.DateTime => $"{local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} {Label(instant)}",
            _ => $"{local.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} {Label(instant)}",
        };
    }

    /// <summary>The UTC instant shown on hover.</summary>
    public static string UtcText(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The labels for the browser: minutes east of UTC → label, e.g. <c>-300:EST,-240:EDT</c>.</summary>
    public string BrowserLabels()
    {
        var labels = new List<string>();
        if (StandardLabel is not null)
            labels.Add($"{(int)Zone.BaseUtcOffset.TotalMinutes}:{StandardLabel}");
        if (DaylightLabel is not null)
        {
            var delta = Zone.GetAdjustmentRules().Select(r => r.DaylightDelta).LastOrDefault(d => d != TimeSpan.Zero);
            if (delta != TimeSpan.Zero)
                labels.Add($"{(int)(Zone.BaseUtcOffset + delta).TotalMinutes}:{DaylightLabel}");
        }
        return string.Join(',', labels);
    }

    public static string OffsetLabel(TimeSpan offset) =>
        "UTC" + (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);

    private static string? Abbreviation(string name)
    {
        var m = ShortName().Match(name);
        return m.Success ? $"{char.ToUpperInvariant(m.Groups[1].Value[0])}{char.ToUpperInvariant(m.Groups[2].Value[0])}T" : null;
    }

    // "Eastern Standard Time", "Pacific Daylight Time", "Mountain Standard Time": the North American names whose initials are the abbreviation.
    [GeneratedRegex(@"^([A-Za-z]+) (Standard|Daylight) Time$")]
    private static partial Regex ShortName();
}

public enum CityTimeFormat
{
    Time,
    Minutes,
    DateTime,
    Date,
}
