using SafeCities.Modules.Shared.Text;
using SafeCities.Modules.Shared.Csv;
using System.Globalization;
using System.Text;

namespace SafeCities.Modules.Lighting.Domain;

internal sealed record StreetlightRow(string Name, double Latitude, double Longitude, string? Circuit, string ControllerId, int NormalLevel);

/// <summary>
/// The streetlight import format: RFC 4180 CSV, one light per line, header <c>name,latitude,longitude,circuit,controllerId,normalLevel</c>
/// (columns matched by name, any order, case-insensitive; circuit and normalLevel may be absent or empty). Numbers use a dot.
/// Imported lights have no device key, so they are reached through their controller: <c>controllerId</c> is required.
/// </summary>
internal static class StreetlightCsv
{
    public const int MaxLineLength = 2000;
    private static readonly string[] Required = ["name", "latitude", "longitude", "controllerid"];
    private static readonly string[] Known = ["name", "latitude", "longitude", "circuit", "controllerid", "normallevel"];

    /// <summary>Column positions by lower-case name, or an error describing what is wrong with the header.</summary>
    public static (IReadOnlyDictionary<string, int>? Columns, string? Error) ParseHeader(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
            return (null, "The header line is empty; expected name,latitude,longitude,circuit,controllerId,normalLevel.");
        var (fields, error) = CsvLine.Split(header.TrimStart('\uFEFF'));
        if (error is not null)
            return (null, $"The header line is not valid CSV: {error}");
        var columns = new Dictionary<string, int>();
        for (var i = 0; i < fields.Count; i++)
        {
            var name = fields[i].Trim().ToLowerInvariant();
            if (!Known.Contains(name))
                return (null, $"Unknown column '{fields[i].Trim()}'; expected name,latitude,longitude,circuit,controllerId,normalLevel.");
            if (!columns.TryAdd(name, i))
                return (null, $"Column '{fields[i].Trim()}' appears twice.");
        }
        var missing = Required.Where(r => !columns.ContainsKey(r)).ToList();
        return missing.Count > 0
            ? (null, $"Missing {Plural.Word(missing.Count, "column", "columns")} {string.Join(", ", missing.Select(m => m == "controllerid" ? "controllerId" : m))}.")
            : (columns, null);
    }

    /// <summary>A light, or the reason the line is refused (one line of text for the import report).</summary>
    public static (StreetlightRow? Row, string? Error) ParseLine(string line, IReadOnlyDictionary<string, int> columns)
    {
        if (line.Length > MaxLineLength)
            return (null, $"Line is longer than {MaxLineLength} characters.");
        var (fields, error) = CsvLine.Split(line);
        if (error is not null)
            return (null, error);
        if (fields.Count != columns.Count)
            return (null, $"Expected {columns.Count} fields, found {fields.Count}.");
        string Field(string name) => columns.TryGetValue(name, out var i) ? fields[i].Trim() : "";

        var problems = new List<string>();
        var name = Field("name");
        if (name.Length == 0)
            problems.Add("name is empty");
        else if (name.Length > 120)
            problems.Add("name is longer than 120 characters");
        var latitude = CsvFields.Coordinate(Field("latitude"), "latitude", 90, problems);
        var longitude = CsvFields.Coordinate(Field("longitude"), "longitude", 180, problems);
        var circuit = Field("circuit");
        if (circuit.Length > 60)
            problems.Add("circuit is longer than 60 characters");
        var controller = Field("controllerid");
        if (controller.Length == 0)
            problems.Add("controllerId is empty (imported lights are reached through their controller)");
        else if (controller.Length > 60)
            problems.Add("controllerId is longer than 60 characters");
        var levelText = Field("normallevel");
        var level = Streetlight.DefaultNormalLevel;
        if (levelText.Length > 0 && (!int.TryParse(levelText, NumberStyles.Integer, CultureInfo.InvariantCulture, out level) || level is < 0 or > 100))
            problems.Add($"normalLevel '{CsvFields.Shorten(levelText)}' is not a whole number from 0 to 100");

        return problems.Count > 0
            ? (null, char.ToUpperInvariant(problems[0][0]) + string.Join("; ", problems)[1..] + ".")
            : (new StreetlightRow(name, latitude, longitude, circuit.Length == 0 ? null : circuit, controller, level), null);
    }
}
