using SafeCities.Modules.Shared.Text;
using System.Globalization;
using SafeCities.Modules.Shared.Csv;

namespace SafeCities.Modules.Platform.Addresses;

internal sealed record AddressRow(string? Number, string? Street, string? Place, double Latitude, double Longitude)
{
    public string Key => $"{Number}|{Street}|{Place}".ToLowerInvariant();
}

/// <summary>
/// The address import format: RFC 4180 CSV, one point per line, header <c>number,street,latitude,longitude,place</c> (columns matched by
/// name, any order, case-insensitive; <c>lat</c>/<c>lon</c> are accepted for latitude/longitude; number and place may be absent or empty).
/// A line needs a street or a place name. Numbers use a dot.
/// </summary>
internal static class AddressCsv
{
    public const int MaxLineLength = 1000;
    private const string Expected = "number,street,latitude,longitude,place";
    private static readonly Dictionary<string, string> Aliases = new()
    {
        ["number"] = "number", ["street"] = "street", ["latitude"] = "latitude", ["lat"] = "latitude", ["longitude"] = "longitude",
        ["lon"] = "longitude", ["lng"] = "longitude", ["place"] = "place", ["placename"] = "place", ["name"] = "place",
    };

    public static (IReadOnlyDictionary<string, int>? Columns, string? Error) ParseHeader(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
            return (null, $"The header line is empty; expected {Expected}.");
        var (fields, error) = CsvLine.Split(header.TrimStart('\uFEFF'));
        if (error is not null)
            return (null, $"The header line is not valid CSV: {error}");
        var columns = new Dictionary<string, int>();
        for (var i = 0; i < fields.Count; i++)
        {
            if (!Aliases.TryGetValue(fields[i].Trim().Replace(" ", "").Replace("_", "").ToLowerInvariant(), out var name))
                return (null, $"Unknown column '{CsvFields.Shorten(fields[i].Trim())}'; expected {Expected}.");
            if (!columns.TryAdd(name, i))
                return (null, $"Column '{name}' appears twice.");
        }
        var missing = new[] { "latitude", "longitude" }.Where(r => !columns.ContainsKey(r)).ToList();
        if (missing.Count > 0)
            return (null, $"Missing {Plural.Word(missing.Count, "column", "columns")} {string.Join(", ", missing)}.");
        return !columns.ContainsKey("street") && !columns.ContainsKey("place")
            ? (null, "A street or a place column is needed.")
            : (columns, null);
    }

    public static (AddressRow? Row, string? Error) ParseLine(string line, IReadOnlyDictionary<string, int> columns)
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
        var number = Text(Field("number"), "number", 20, problems);
        var street = Text(Field("street"), "street", 120, problems);
        var place = Text(Field("place"), "place", 120, problems);
        if (street is null && place is null)
            problems.Add("street and place are both empty");
        if (number is not null && street is null)
            problems.Add("a number needs a street");
        var latitude = CsvFields.Coordinate(Field("latitude"), "latitude", 90, problems);
        var longitude = CsvFields.Coordinate(Field("longitude"), "longitude", 180, problems);
        return problems.Count > 0
            ? (null, char.ToUpperInvariant(problems[0][0]) + string.Join("; ", problems)[1..] + ".")
            : (new AddressRow(number, street, place, latitude, longitude), null);
    }

    private static string? Text(string value, string name, int max, List<string> problems)
    {
        if (value.Length > max)
            problems.Add($"{name} is longer than {max} characters");
        return value.Length == 0 ? null : value;
    }
}
