using System.Globalization;

namespace SafeCities.Modules.Shared.Csv;

/// <summary>How the CSV imports (streetlights, address points) read a field and name what is wrong with it.</summary>
public static class CsvFields
{
    /// <summary>A latitude or longitude within ±<paramref name="limit"/>; each problem is added to <paramref name="problems"/> (0 is returned then).</summary>
    public static double Coordinate(string text, string name, double limit, List<string> problems)
    {
        if (text.Length == 0)
        {
            problems.Add($"{name} is empty");
            return 0;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            problems.Add($"{name} '{Shorten(text)}' is not a number");
            return 0;
        }
        if (Math.Abs(value) > limit)
            problems.Add($"{name} {value.ToString(CultureInfo.InvariantCulture)} is outside ±{limit}");
        return value;
    }

    /// <summary>A value as a problem quotes it: at most 30 characters.</summary>
    public static string Shorten(string text) => text.Length > 30 ? text[..27] + "…" : text;
}
