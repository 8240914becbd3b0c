using System.Text;

namespace SafeCities.Modules.Sensors.Location;

/// <summary>
/// Minimal RFC 4180 reader: comma-separated fields, optional double-quoted fields with "" as an escaped quote,
/// quoted fields may span lines, CRLF or LF record ends. Blank lines are skipped.
/// </summary>
internal static class CsvReader
{
    public static IEnumerable<string[]> ReadRecords(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var fieldWasQuoted = false;
        var lineHasContent = false;
        int next;
        while ((next = reader.Read()) != -1)
        {
            var ch = (char)next;
            if (inQuotes)
            {
                if (ch != '"')
                {
                    field.Append(ch);
                }
                else if (reader.Peek() == '"')
                {
                    reader.Read();
                    field.Append('"');
                }
                else
                {
                    inQuotes = false;
                }

                continue;
            }

            switch (ch)
            {
                case '"' when field.Length == 0 && !fieldWasQuoted:
                    inQuotes = true;
                    fieldWasQuoted = true;
                    lineHasContent = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldWasQuoted = false;
                    lineHasContent = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    if (lineHasContent || field.Length > 0)
                    {
                        fields.Add(field.ToString());
                        yield return [.. fields];
                    }

                    fields.Clear();
                    field.Clear();
                    fieldWasQuoted = false;
                    lineHasContent = false;
                    break;
                default:
                    field.Append(ch);
                    lineHasContent = true;
                    break;
            }
        }

        if (inQuotes)
        {
            throw new FormatException("CSV input ends inside a quoted field.");
        }

        if (lineHasContent || field.Length > 0)
        {
            fields.Add(field.ToString());
            yield return [.. fields];
        }
    }
}
