using System.Globalization;

namespace SafeCities.Modules.Shared.Input;

/// <summary>What a line of text may hold: a <see cref="Text"/> (a JSON string, a form field, a CSV line) may hold tabs and line breaks; a
/// <see cref="Line"/> (a query-string or route value, a header) may hold tabs but no line break.</summary>
public enum TextKind
{
    Text,
    Line,
}

/// <summary>
/// The edge policy for every value the API and the pages accept (see <c>docs/adr/0008-edge-input-hygiene.md</c>): text is refused when it holds
/// a control character (C0 other than tab, line feed and carriage return; DEL; C1) or an unpaired surrogate (not Unicode, PostgreSQL refuses
/// it); a date must lie in the years <see cref="MinYear"/>–<see cref="MaxYear"/>; a number must be finite. Ordinary text in any script,
/// emoji (surrogate pairs) included, passes untouched.
/// </summary>
public static class InputRules
{
    public const int MinYear = 1900;
    public const int MaxYear = 2200;

    /// <summary>Why <paramref name="value"/> is refused, or null when it is acceptable.</summary>
    public static string? TextRefusal(ReadOnlySpan<char> value, TextKind kind = TextKind.Text)
    {
        var at = IndexOfRefused(value, kind);
        if (at < 0)
            return null;
        var c = value[at];
        return char.IsSurrogate(c)
            ? $"holds an unpaired surrogate ({Code(c)}) at position {at + 1}: it is not valid Unicode text."
            : $"holds a control character ({Code(c)}) at position {at + 1}; control characters{(kind == TextKind.Text ? " other than tab and line breaks" : " and line breaks")} are not accepted.";
    }

    /// <summary>The index of the first character <paramref name="kind"/> does not allow, or -1.</summary>
    public static int IndexOfRefused(ReadOnlySpan<char> value, TextKind kind = TextKind.Text)
    {
        // Printable ASCII is by far the common case: one vectorised pass finds the first character outside it, or none.
        var i = value.IndexOfAnyExceptInRange(' ', '~');
        if (i < 0)
            return -1;
        for (; i < value.Length; i++)
        {
            var c = value[i];
            if (c is >= ' ' and < '\u007F' || (c >= '\u00A0' && !char.IsSurrogate(c)))
                continue;
            if (c == '\t' || (c is '\n' or '\r' && kind == TextKind.Text))
                continue;
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }
            return i;
        }
        return -1;
    }

    public static bool IsSaneYear(int year) => year is >= MinYear and <= MaxYear;

    public static string? DateRefusal(int year) =>
        IsSaneYear(year) ? null : $"lies in the year {year}; dates must lie in the years {MinYear}–{MaxYear}.";

    public static string? NumberRefusal(double value) =>
        double.IsFinite(value) ? null : "is not a finite number.";

    /// <summary>
    /// A query-string, route or form value bound to a date: why its year is refused, or null (also when it is no date: the binder reports that).
    /// </summary>
    public static string? DateTextRefusal(string value)
    {
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal, out var at))
            return DateRefusal(at.Year);
        return DateOnly.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var day) ? DateRefusal(day.Year) : null;
    }

    /// <summary>A query-string, route or form value bound to a floating-point number: why it is refused (1e309, Infinity, NaN), or null.</summary>
    public static string? NumberTextRefusal(string value) =>
        double.TryParse(value, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var number) ? NumberRefusal(number) : null;

    private static string Code(char c) => $"U+{(int)c:X4}";
}
