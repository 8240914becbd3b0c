using System.Text;
using SafeCities.Modules.Shared.Input;

namespace SafeCities.Modules.Shared.Csv;

/// <summary>One line of an imported CSV file (streetlights, hotlists, agency records), split strictly so a damaged line is reported, not guessed.</summary>
public static class CsvLine
{
    /// <summary>
    /// RFC 4180 fields of one line: commas separate, double quotes enclose, "" inside quotes is a quote. A line holding what the edge refuses
    /// in any other text (a control character other than tab, an unpaired surrogate; <see cref="InputRules"/>) is rejected with the reason.
    /// </summary>
    public static (IReadOnlyList<string> Fields, string? Error) Split(string line)
    {
        if (InputRules.TextRefusal(line) is { } refused)
            return ([], $"The line {refused}");
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var wasQuoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c != '"')
                    field.Append(c);
                else if (i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                    quoted = false;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                wasQuoted = false;
            }
            else if (c == '"')
            {
                if (field.ToString().Trim().Length > 0 || wasQuoted)
                    return ([], $"Stray quote at column {i + 1}.");
                field.Clear();
                quoted = wasQuoted = true;
            }
            else if (wasQuoted && !char.IsWhiteSpace(c))
                return ([], $"Text after a closing quote at column {i + 1}.");
            else if (c != '\r')
                field.Append(c);
        }
        if (quoted)
            return ([], "A quoted field is not closed (one record per line; quoted line breaks are not supported).");
        fields.Add(field.ToString());
        return (fields, null);
    }
}
