using System.Diagnostics.CodeAnalysis;

namespace SafeCities.Modules.Shared.Text;

/// <summary>The one rule for text that must fit a column: cut to the limit, the last character an ellipsis ("…"), so a reader sees it was cut.</summary>
internal static class TextLimit
{
    /// <summary>One line for command staff (an incident timeline entry, a module's reaction report).</summary>
    public const int Line = 1000;

    /// <summary><paramref name="text"/> as it is when it fits <paramref name="max"/> characters; otherwise its first <c>max − 1</c> and "…".</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public static string? Cut(string? text, int max = Line) => text is null || text.Length <= max ? text : text[..(max - 1)] + "…";
}
