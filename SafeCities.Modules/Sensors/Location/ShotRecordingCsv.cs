using System.Globalization;

namespace SafeCities.Modules.Sensors.Location;

/// <summary>
/// Reads the flat pulse table of the ShotSpotter Pittsburgh 2018 data set (nlos_tuples_flat.csv): one row per pulse,
/// grouped into shots by (firing_position, test_id, shot_index) in order of first appearance. Survey columns are
/// optional; arrival_time_utc is ISO 8601 (or plain seconds) and becomes seconds since the Unix epoch.
/// </summary>
internal static class ShotRecordingCsv
{
    private static readonly string[] RequiredColumns =
    [
        "firing_position", "test_id", "shot_index", "arrival_time_utc", "sensor_x_m", "sensor_y_m", "sensor_z_m", "temperature_c",
    ];

    private static readonly string[] SurveyColumns = ["survey_x_m", "survey_y_m", "survey_z_m"];

    public static IReadOnlyList<RecordedShot> Read(TextReader reader)
    {
        using var records = CsvReader.ReadRecords(reader).GetEnumerator();
        if (!records.MoveNext())
        {
            throw new FormatException("The pulse CSV is empty (no header row).");
        }

        var columns = ColumnIndex(records.Current);
        var hasSurvey = Array.TrueForAll(SurveyColumns, columns.ContainsKey);
        var shots = new Dictionary<ShotKey, ShotBuilder>();
        var order = new List<ShotKey>();
        var line = 1;
        while (records.MoveNext())
        {
            line++;
            var row = new Row(records.Current, columns, line);
            var key = new ShotKey(row.Text("firing_position"), row.Text("test_id"), row.Text("shot_index"));
            if (!shots.TryGetValue(key, out var shot))
            {
                shot = new ShotBuilder(row.Number("temperature_c"), hasSurvey ? ReadSurvey(row) : null);
                shots.Add(key, shot);
                order.Add(key);
            }

            var sensor = new Point3(row.Number("sensor_x_m"), row.Number("sensor_y_m"), row.Number("sensor_z_m"));
            var positionError = row.OptionalNumber("sensor_location_error_m") ?? 0.0;
            shot.Pulses.Add(new AcousticPulse(sensor, ParseTimeSeconds(row.Text("arrival_time_utc"), line), positionError));
        }

        return order.ConvertAll(key => shots[key].Build(key));
    }

    public static IReadOnlyList<RecordedShot> ReadFile(string path)
    {
        using var reader = new StreamReader(path);
        return Read(reader);
    }

    /// <summary>ISO 8601 timestamp (UTC unless an offset is given) or plain seconds, as seconds since the Unix epoch.</summary>
    public static double ParseTimeSeconds(string text, int line)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            return (instant - DateTimeOffset.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;
        }

        throw new FormatException($"Line {line}: cannot read arrival time '{text}'.");
    }

    private static Point3? ReadSurvey(Row row)
    {
        var (x, y, z) = (row.OptionalNumber("survey_x_m"), row.OptionalNumber("survey_y_m"), row.OptionalNumber("survey_z_m"));
        return x is { } sx && y is { } sy ? new Point3(sx, sy, z ?? double.NaN) : null;
    }

    private static Dictionary<string, int> ColumnIndex(string[] header)
    {
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Length; i++)
        {
            columns.TryAdd(header[i].Trim(), i);
        }

        var missing = Array.FindAll(RequiredColumns, name => !columns.ContainsKey(name));
        if (missing.Length > 0)
        {
            throw new FormatException($"The pulse CSV lacks column(s): {string.Join(", ", missing)}.");
        }

        return columns;
    }

    private sealed class ShotBuilder(double temperatureCelsius, Point3? survey)
    {
        public List<AcousticPulse> Pulses { get; } = [];

        public RecordedShot Build(ShotKey key) => new(key, Pulses, temperatureCelsius, survey);
    }

    private readonly struct Row(string[] fields, Dictionary<string, int> columns, int line)
    {
        public string Text(string column)
        {
            var index = columns[column];
            if (index >= fields.Length)
            {
                throw new FormatException($"Line {line}: missing value for '{column}'.");
            }

            return fields[index].Trim();
        }

        public double Number(string column) =>
            OptionalNumber(column) ?? throw new FormatException($"Line {line}: '{column}' is not a number ('{Text(column)}').");

        public double? OptionalNumber(string column) =>
            columns.TryGetValue(column, out var index) && index < fields.Length
            && double.TryParse(fields[index], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                ? value
                : null;
    }
}
