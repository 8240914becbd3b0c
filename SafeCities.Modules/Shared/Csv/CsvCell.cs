namespace SafeCities.Modules.Shared.Csv;

/// <summary>The one way the app writes a CSV cell of text (exports of the audit log, the incident history).</summary>
internal static class CsvCell
{
    /// <summary>A CSV cell, quoted when needed; a leading =, +, - or @ is neutralised with ' so a spreadsheet never runs it as a formula.</summary>
    public static string Text(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "";
        if (value[0] is '=' or '+' or '-' or '@')
            value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }
}
