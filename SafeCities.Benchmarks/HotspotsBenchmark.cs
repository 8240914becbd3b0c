using System.Globalization;
using System.Text.Json;
using SafeCities.Modules.Intelligence;
using SafeCities.Modules.Intelligence.Analysis.Hotspots;
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

        var (events, leftOut) = ReadEvents(input, dateCol, latCol, lonCol, planar, timeOrigin, unitDays, problems);
        if (problems.Count > 0)
            return Fail(error, problems, null);
        if (!events.Any(e => e.At < testStart))
            return Fail(error, [$"no event before --test-start {testStart:yyyy-MM-dd}: nothing to train on"], null);

        var machine = MachineLoad.Start();
        var run = IntelligenceModule.BacktestHotspots(events, testStart, (int)weeks, TimeSpan.FromDays(7), cell, share);
        output.WriteLine($"hotspots: {Path.GetFileName(input)}, {run.Events:N0} events, grid {run.GridColumns}×{run.GridRows} cells of {run.CellMeters:0} m, " +
                         $"test from {testStart:yyyy-MM-dd} for {weeks:0} weekly windows, flagged share {share:0.###} of active cells; " +
                         $"{Environment.ProcessorCount} cores, load average {Stats.LoadAverage()} (shared machine)");
        if (leftOut.Total + run.EventsOutside > 0)
        {
            // What a real extract holds besides located, dated records: said, never silently dropped.
            var parts = new (int Count, string What)[]
            {
                (leftOut.NoDate, "without a date"), (leftOut.NoPlace, "without a place (empty, a not-recorded marker, or 0, 0)"),
                (leftOut.DateOutOfRange, "dated before 1900 or after 2199"), (leftOut.BadLines, "bad"),
                (run.EventsOutside, $"more than {HotspotMap.MaxCityRadiusMeters / 1000:0} km from the events' median place (not the city's)"),
            };
            output.WriteLine("left out: " + string.Join(", ", parts.Where(p => p.Count > 0).Select(p => $"{p.Count:N0} {p.What}")));
            foreach (var example in leftOut.BadExamples.Take(5))
                output.WriteLine($"  {example}");
        }
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
        BenchSupport.WriteJson(args, Name, new
        {
            input = Path.GetFileName(input), testStart, weeks, share, run,
            leftOut = new { leftOut.NoDate, leftOut.NoPlace, leftOut.DateOutOfRange, leftOut.BadLines, outsideCity = run.EventsOutside },
        }, load);
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

    private static string NotADate(string name, string text) => $"{name} '{CsvFields.Shorten(text)}' is not an ISO date (yyyy-MM-dd[ HH:mm[:ss]])";

    /// <summary>An ISO date, with or without a time (and offset); without an offset it is read as UTC (the file's own clock, consistently).</summary>
    private static DateTimeOffset ParseDate(string text, string name, List<string> problems)
    {
        if (text.Length > 0 && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && at.Year is > 1900 and < 2200)
            return at;
        if (text.Length > 0)
            problems.Add(NotADate(name, text));
        return default;
    }

    /// <summary>What a file held besides the events read: lines left out, by reason, and the bad lines among them.</summary>
    internal sealed record LeftOut(int NoDate, int NoPlace, int DateOutOfRange, int BadLines, IReadOnlyList<string> BadExamples)
    {
        public int Total => NoDate + NoPlace + DateOutOfRange + BadLines;
    }

    /// <summary>At most this share of a file's data lines may be bad (malformed) and be left out; more means a wrong column or format.</summary>
    internal const double MostBadShare = 0.01;

    /// <summary>Values that mean "not recorded" in public extracts (besides an empty field).</summary>
    private static readonly HashSet<string> MissingMarkers = new(StringComparer.OrdinalIgnoreCase) { "NA", "N/A", "NULL", "NaN", "None", "-" };

    /// <summary>
    /// The events of a real extract, read as it comes: a record without a date or a place (empty, a "not recorded" marker such as NA or
    /// NULL, or — for latitude/longitude — 0, 0, the usual placeholder of a record not geocoded) or dated before 1900 or after 2199 (a typed
    /// year such as 1015) is left out and counted; a bad line (broken quoting, too few fields, a value that is not a date or a number, a
    /// latitude beyond ±90) is left out and named when bad lines are at most <see cref="MostBadShare"/> of the data lines, and refuses the
    /// file (each named, the first 20) when there are more: then the columns or the format are probably wrong. A quoted field may span
    /// lines (its line break is read as a space).
    /// </summary>
    private static (List<HotspotEventInput> Events, LeftOut LeftOut) ReadEvents(string path, string dateCol, string latCol, string lonCol, bool planar,
        DateTimeOffset? timeOrigin, double unitDays, List<string> problems)
    {
        var events = new List<HotspotEventInput>();
        var none = new LeftOut(0, 0, 0, 0, []);
        using var reader = new StreamReader(path);
        var headerLine = reader.ReadLine();
        if (headerLine is null)
        {
            problems.Add("the file is empty (no header line)");
            return (events, none);
        }
        var (header, headerError) = CsvLine.Split(headerLine.TrimStart('\uFEFF'));
        if (headerError is not null)
        {
            problems.Add($"line 1 (header): {headerError}");
            return (events, none);
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
            return (events, none);
        int noDate = 0, noPlace = 0, outOfRange = 0, dataLines = 0;
        var bad = new List<string>();
        var badCount = 0;
        var lineNo = 1;
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            var first = ++lineNo;
            // A quoted field that holds a line break continues on the next line (at most 100 lines, so that a stray quote cannot swallow the file).
            for (var more = 0; QuotesOpen(line) && more < 100 && reader.ReadLine() is { } next; more++, lineNo++)
                line += " " + next;
            if (line.Trim().Length == 0)
                continue;
            dataLines++;
            var rowProblems = new List<string>();
            var (fields, splitError) = CsvLine.Split(line);
            if (splitError is not null)
                rowProblems.Add(splitError);
            else if (fields.Count <= Math.Max(di, Math.Max(ai, oi)))
                rowProblems.Add($"{fields.Count} fields, the header has {header.Count}");
            else
            {
                var (dateText, latText, lonText) = (fields[di].Trim(), fields[ai].Trim(), fields[oi].Trim());
                if (Missing(dateText))
                {
                    noDate++;
                    continue;
                }
                if (Missing(latText) || Missing(lonText) || (!planar && IsZero(latText) && IsZero(lonText)))
                {
                    noPlace++;
                    continue;
                }
                DateTimeOffset at = default;
                if (timeOrigin is { } origin)
                {
                    if (double.TryParse(dateText, NumberStyles.Float, CultureInfo.InvariantCulture, out var units) && double.IsFinite(units))
                        at = origin.AddDays(units * unitDays);
                    else
                        rowProblems.Add($"{dateCol} '{CsvFields.Shorten(dateText)}' is not a number");
                }
                else if (DateTimeOffset.TryParse(dateText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    if (parsed.Year is < 1900 or > 2199)
                    {
                        outOfRange++;
                        continue;
                    }
                    at = parsed;
                }
                else
                    rowProblems.Add(NotADate(dateCol, dateText));
                double lat, lon;
                if (planar)
                {
                    // km east/north of the file's own origin, placed on a plane at the equator (1° = MetresPerDegree both ways there).
                    var x = CsvFields.Coordinate(latText, latCol, 20_000, rowProblems);
                    var y = CsvFields.Coordinate(lonText, lonCol, 20_000, rowProblems);
                    (lat, lon) = (y * 1000 / MetresPerDegree, x * 1000 / MetresPerDegree);
                }
                else
                {
                    lat = CsvFields.Coordinate(latText, latCol, 90, rowProblems);
                    lon = CsvFields.Coordinate(lonText, lonCol, 180, rowProblems);
                }
                if (rowProblems.Count == 0)
                    events.Add(new HotspotEventInput(at, lat, lon));
            }
            if (rowProblems.Count > 0 && ++badCount <= 20)
                bad.Add($"line {first}: {string.Join("; ", rowProblems)}");
        }
        if (badCount > 0 && badCount > MostBadShare * dataLines)
        {
            problems.AddRange(bad);
            if (badCount > 20)
                problems.Add($"… and {badCount - 20} more bad lines");
            problems.Add($"{badCount:N0} of {dataLines:N0} data lines are bad: more than {MostBadShare * 100:0} % (are the columns and the format right?)");
        }
        else if (events.Count == 0)
            problems.Add(dataLines == 0 ? "the file has no data lines" : $"none of the {dataLines:N0} data lines has a date and a place");
        return (events, new LeftOut(noDate, noPlace, outOfRange, badCount, bad));
    }

    private static bool Missing(string text) => text.Length == 0 || MissingMarkers.Contains(text);

    private static bool IsZero(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v == 0;

    private static bool QuotesOpen(string line) => line.Count(c => c == '"') % 2 == 1;
}
