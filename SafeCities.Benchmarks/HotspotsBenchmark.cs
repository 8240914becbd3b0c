using System.Globalization;
using System.Text.Json;
using SafeCities.Modules.Intelligence;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Shared.Csv;

namespace SafeCities.Benchmarks;

/// <summary>
/// <c>hotspots --input &lt;csv&gt; --date-col &lt;name&gt; --lat-col &lt;name&gt; --lon-col &lt;name&gt; --test-start &lt;date&gt; --weeks &lt;n&gt;
/// [--cell 150] [--share 0.01] [--output file.csv] [--json file]</c>: the hotspot models (kde, naive28, sepp, ewc, mixture) backtested on weekly windows, each
/// trained only on the events before it. Columns are chosen by header name. A file in plane kilometres with a numeric time (the DC gunfire
/// file) is read with <c>--x-col/--y-col</c> (km east/north) instead of lat/lon and <c>--time-origin &lt;date&gt; --time-unit hours|days|minutes</c>.
/// </summary>
internal static class HotspotsBenchmark
{
    public const string Name = "hotspots";

    private const string Usage = """
        usage: hotspots --input <csv> --date-col <name> (--lat-col <name> --lon-col <name> | --x-col <name> --y-col <name>)
                        --test-start <date> --weeks <n> [--cell 150] [--share 0.01] [--output file.csv] [--json file]
                        [--time-origin <date> --time-unit hours|days|minutes]   (when the date column is a number)
        """;

    private const double MetresPerDegree = Math.PI * 6_371_008.8 / 180;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var problems = new List<string>();
        var options = ParseOptions(args, problems);
        string Need(string key) => options.TryGetValue(key, out var v) ? v : Missing(key);
        string Missing(string key)
        {
            problems.Add($"--{key} is required");
            return "";
        }

        var input = Need("input");
        var dateCol = Need("date-col");
        var planar = options.ContainsKey("x-col") || options.ContainsKey("y-col");
        var (latCol, lonCol) = planar ? (Need("x-col"), Need("y-col")) : (Need("lat-col"), Need("lon-col"));
        var testStart = ParseDate(Need("test-start"), "--test-start", problems);
        var weeks = ParseNumber(options, "weeks", null, 1, 520, problems);
        var cell = ParseNumber(options, "cell", 150, 10, 5000, problems);
        var share = ParseNumber(options, "share", 0.01, 1e-6, 1, problems);
        DateTimeOffset? timeOrigin = options.TryGetValue("time-origin", out var originText) ? ParseDate(originText, "--time-origin", problems) : null;
        var unit = options.GetValueOrDefault("time-unit", "hours");
        var unitDays = unit switch { "hours" => 1 / 24.0, "days" => 1.0, "minutes" => 1 / 1440.0, _ => double.NaN };
        if (double.IsNaN(unitDays))
            problems.Add($"--time-unit must be hours, days or minutes, not '{CsvFields.Shorten(unit)}'");
        if (input.Length > 0 && !File.Exists(input))
            problems.Add($"--input file '{input}' does not exist");
        if (problems.Count > 0)
            return Fail(error, problems, Usage);

        var events = ReadEvents(input, dateCol, latCol, lonCol, planar, timeOrigin, unitDays, problems);
        if (problems.Count > 0)
            return Fail(error, problems, null);
        if (!events.Any(e => e.At < testStart))
            return Fail(error, [$"no event before --test-start {testStart:yyyy-MM-dd}: nothing to train on"], null);

        var machine = MachineLoad.Start();
        var run = IntelligenceModule.BacktestHotspots(events, testStart, (int)weeks, TimeSpan.FromDays(7), cell, share);
        output.WriteLine($"hotspots: {Path.GetFileName(input)}, {run.Events:N0} events, grid {run.GridColumns}×{run.GridRows} cells of {run.CellMeters:0} m, " +
                         $"test from {testStart:yyyy-MM-dd} for {weeks:0} weekly windows, flagged share {share:0.###} of active cells; " +
                         $"{Environment.ProcessorCount} cores, load average {Stats.LoadAverage()} (shared machine)");
        output.WriteLine($"{"model",-10} {"windows",7} {"mean hit",9} {"mean PAI",9} {"median PAI",11} {"mean PEI",9} {"ms/window",10}");
        foreach (var m in run.Models)
            output.WriteLine($"{m.Model,-10} {m.Windows,7} {m.MeanHitRate,9:0.0000} {m.MeanPai,9:0.000} {m.MedianPai,11:0.000} {m.MeanPei,9:0.000} {m.MillisecondsPerWindow,10:0.0}");
        var baseline = run.Models.Where(m => HotspotModelNames.IsBaseline(m.Model)).MaxBy(m => m.MeanPai);
        if (baseline is not null && baseline.MeanPai > 0)
        {
            foreach (var m in run.Models.Where(m => !HotspotModelNames.IsBaseline(m.Model)))
                output.WriteLine($"{m.Model}: mean PAI {m.MeanPai / baseline.MeanPai:0.000}× the better baseline ({baseline.Model} {baseline.MeanPai:0.000}); " +
                                 $"target 1.2× {(m.MeanPai >= 1.2 * baseline.MeanPai ? "met" : "NOT met")}");
            var best = run.Models.Where(m => !HotspotModelNames.IsBaseline(m.Model)).MaxBy(m => m.MeanPai);
            if (best is not null)
                output.WriteLine($"best model {best.Model}: mean PAI {best.MeanPai / baseline.MeanPai:0.00}× the better baseline ({baseline.Model}); target 1.2×");
        }
        var load = machine.Stop();
        output.WriteLine(load);
        BenchSupport.WriteJson(args, Name, new { input = Path.GetFileName(input), testStart, weeks, share, run }, load);
        if (options.TryGetValue("output", out var outputPath))
        {
            using var file = new StreamWriter(outputPath);
            file.WriteLine("model,windows,mean_hit_rate,mean_pai,median_pai,mean_pei");
            foreach (var m in run.Models)
                file.WriteLine(string.Join(',', m.Model, m.Windows.ToString(CultureInfo.InvariantCulture), F(m.MeanHitRate), F(m.MeanPai), F(m.MedianPai), F(m.MeanPei)));
        }
        return 0;
    }

    private static string F(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    private static int Fail(TextWriter error, IEnumerable<string> problems, string? usage)
    {
        foreach (var p in problems)
            error.WriteLine($"error: {p}");
        if (usage is not null)
            error.WriteLine(usage);
        return 2;
    }

    private static Dictionary<string, string> ParseOptions(string[] args, List<string> problems)
    {
        var known = new HashSet<string> { "input", "date-col", "lat-col", "lon-col", "x-col", "y-col", "test-start", "weeks", "cell", "share", "output", "time-origin", "time-unit", "json" };
        var options = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg.StartsWith("--", StringComparison.Ordinal) && known.Contains(arg[2..]))
            {
                if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    problems.Add($"{arg} needs a value");
                else
                    options[arg[2..]] = args[++i];
            }
            else
                problems.Add($"unexpected argument '{CsvFields.Shorten(arg)}'");
        }
        return options;
    }

    private static double ParseNumber(Dictionary<string, string> options, string key, double? fallback, double min, double max, List<string> problems)
    {
        if (!options.TryGetValue(key, out var text))
        {
            if (fallback is null)
                problems.Add($"--{key} is required");
            return fallback ?? 0;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            problems.Add($"--{key} '{CsvFields.Shorten(text)}' is not a number");
            return 0;
        }
        if (value < min || value > max)
            problems.Add($"--{key} {text} is outside {min.ToString("0.######", CultureInfo.InvariantCulture)}..{max.ToString("0.######", CultureInfo.InvariantCulture)}");
        return value;
    }

    /// <summary>An ISO date, with or without a time (and offset); without an offset it is read as UTC (the file's own clock, consistently).</summary>
    private static DateTimeOffset ParseDate(string text, string name, List<string> problems)
    {
        if (text.Length > 0 && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && at.Year is > 1900 and < 2200)
            return at;
        if (text.Length > 0)
            problems.Add($"{name} '{CsvFields.Shorten(text)}' is not an ISO date (yyyy-MM-dd[ HH:mm[:ss]])");
        return default;
    }

    private static List<HotspotEventInput> ReadEvents(string path, string dateCol, string latCol, string lonCol, bool planar, DateTimeOffset? timeOrigin,
        double unitDays, List<string> problems)
    {
        var events = new List<HotspotEventInput>();
        using var reader = new StreamReader(path);
        var headerLine = reader.ReadLine();
        if (headerLine is null)
        {
            problems.Add("the file is empty (no header line)");
            return events;
        }
        var (header, headerError) = CsvLine.Split(headerLine.TrimStart('\uFEFF'));
        if (headerError is not null)
        {
            problems.Add($"line 1 (header): {headerError}");
            return events;
        }
        int Column(string name)
        {
            var index = header.ToList().FindIndex(h => string.Equals(h.Trim(), name, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
                problems.Add($"column '{name}' is not in the header ({string.Join(", ", header.Take(12))})");
            return index;
        }
        var (di, ai, oi) = (Column(dateCol), Column(latCol), Column(lonCol));
        if (problems.Count > 0)
            return events;
        var bad = 0;
        var lineNo = 1;
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNo++;
            if (line.Trim().Length == 0)
                continue;
            var rowProblems = new List<string>();
            var (fields, splitError) = CsvLine.Split(line);
            if (splitError is not null)
                rowProblems.Add(splitError);
            else if (fields.Count <= Math.Max(di, Math.Max(ai, oi)))
                rowProblems.Add($"{fields.Count} fields, the header has {header.Count}");
            else
            {
                var dateText = fields[di].Trim();
                DateTimeOffset at = default;
                if (timeOrigin is { } origin)
                {
                    if (double.TryParse(dateText, NumberStyles.Float, CultureInfo.InvariantCulture, out var units) && double.IsFinite(units))
                        at = origin.AddDays(units * unitDays);
                    else
                        rowProblems.Add($"{dateCol} '{CsvFields.Shorten(dateText)}' is not a number");
                }
                else
                    at = ParseDate(dateText, dateCol, rowProblems);
                double lat, lon;
                if (planar)
                {
                    // km east/north of the file's own origin, placed on a plane at the equator (1° = MetresPerDegree both ways there).
                    var x = CsvFields.Coordinate(fields[ai].Trim(), latCol, 20_000, rowProblems);
                    var y = CsvFields.Coordinate(fields[oi].Trim(), lonCol, 20_000, rowProblems);
                    (lat, lon) = (y * 1000 / MetresPerDegree, x * 1000 / MetresPerDegree);
                }
                else
                {
                    lat = CsvFields.Coordinate(fields[ai].Trim(), latCol, 90, rowProblems);
                    lon = CsvFields.Coordinate(fields[oi].Trim(), lonCol, 180, rowProblems);
                }
                if (rowProblems.Count == 0)
                    events.Add(new HotspotEventInput(at, lat, lon));
            }
            if (rowProblems.Count > 0 && ++bad <= 20)
                problems.Add($"line {lineNo}: {string.Join("; ", rowProblems)}");
        }
        if (bad > 20)
            problems.Add($"… and {bad - 20} more bad lines ({bad} in all)");
        if (events.Count == 0 && problems.Count == 0)
            problems.Add("the file has no data lines");
        return events;
    }
}
