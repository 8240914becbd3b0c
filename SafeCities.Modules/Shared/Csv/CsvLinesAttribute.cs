namespace SafeCities.Modules.Shared.Csv;

/// <summary>
/// The property holds the lines of a CSV file (a chunk in a JSON body). The edge's text rules do not refuse the whole request for one
/// line: <see cref="CsvLine.Split"/> applies them to each line and rejects that line with its number and reason while the rest is imported
/// (an old extract's trailing Ctrl-Z should not refuse the chunk). A null line, or one that is not Unicode at all, is still refused.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class CsvLinesAttribute : Attribute;
