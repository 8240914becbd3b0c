using System.Globalization;

namespace SafeCities.Modules.Shared.Text;

/// <summary>The one rule for counts in words, on pages and in the texts modules write: "1 vehicle", "2 vehicles", "0 entries".</summary>
public static class Plural
{
    /// <summary><paramref name="n"/> and its noun: <paramref name="noun"/> for one, otherwise <paramref name="plural"/> (the noun and "s" when not given).</summary>
    public static string Count(long n, string noun, string? plural = null) => $"{n.ToString(CultureInfo.InvariantCulture)} {Word(n, noun, plural ?? noun + "s")}";

    /// <summary><paramref name="one"/> when <paramref name="n"/> is one, otherwise <paramref name="many"/> ("is"/"are", "covers"/"cover").</summary>
    public static string Word(long n, string one, string many) => n == 1 ? one : many;
}
