using System.Diagnostics;
using System.Globalization;
using SafeCities.Modules.Sensors.Location;

namespace SafeCities.Benchmarks;

/// <summary>
/// <c>locate --input &lt;pulses.csv&gt; --output &lt;estimates.csv&gt; [--temperature C]</c>: locates every shot of a flat
/// pulse table (ShotSpotter nlos_tuples_flat.csv format), writes one estimate per shot and, when the table has survey
/// columns, prints the horizontal error distribution.
/// </summary>
internal static class LocateCommand
{
    public const string Name = "locate";

    private const string Usage = "usage: locate --input <nlos_tuples_flat.csv> --output <estimates.csv> [--temperature C]";
    private const string OutputHeader = "firing_position,test_id,shot_index,x_m,y_m,uncertainty_m,sensors_used";

    private sealed record Arguments(string Input, string Output, double? TemperatureCelsius);

    public static int Run(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (!TryParseArguments(args, out var arguments, out var problem))
        {
            output.WriteLine($"error: {problem}");
            output.WriteLine(Usage);
            return 2;
        }

        IReadOnlyList<RecordedShot> shots;
        try
        {
            shots = ShotRecordingCsv.ReadFile(arguments.Input);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            output.WriteLine($"error: cannot read input '{arguments.Input}': {ex.Message}");
            return 1;
        }

        var solver = new TdoaSolver(TdoaSolverOptions.Field);
        var stopwatch = Stopwatch.StartNew();
        var estimates = shots.Select(shot => (Shot: shot, Fix: solver.Solve(shot.Pulses, arguments.TemperatureCelsius ?? shot.TemperatureCelsius))).ToList();
        stopwatch.Stop();

        try
        {
            WriteEstimates(arguments.Output, estimates);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            output.WriteLine($"error: cannot write output '{arguments.Output}': {ex.Message}");
            return 1;
        }

        WriteReport(output, estimates, stopwatch.Elapsed);
        return 0;
    }

    private static bool TryParseArguments(string[] args, out Arguments arguments, out string problem)
    {
        arguments = new Arguments(string.Empty, string.Empty, null);
        problem = string.Empty;
        string? input = null, outputPath = null;
        double? temperature = null;
        var start = args.Length > 0 && args[0] == Name ? 1 : 0;
        for (var i = start; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--input" when value is not null:
                    input = value;
                    i++;
                    break;
                case "--output" when value is not null:
                    outputPath = value;
                    i++;
                    break;
                case "--temperature" when value is not null:
                    if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var celsius) || celsius <= -273.15)
                    {
                        problem = $"--temperature expects degrees Celsius, got '{value}'";
                        return false;
                    }

                    temperature = celsius;
                    i++;
                    break;
                default:
                    problem = value is null && args[i].StartsWith("--", StringComparison.Ordinal)
                        ? $"{args[i]} needs a value"
                        : $"unexpected argument '{args[i]}'";
                    return false;
            }
        }

        if (string.IsNullOrWhiteSpace(input) || string.IsNullOrWhiteSpace(outputPath))
        {
            problem = "--input and --output are required";
            return false;
        }

        if (!File.Exists(input))
        {
            problem = $"input file '{input}' does not exist";
            return false;
        }

        arguments = new Arguments(input, outputPath, temperature);
        return true;
    }

    private static void WriteEstimates(string path, IReadOnlyList<(RecordedShot Shot, ShotLocation? Fix)> estimates)
    {
        using var writer = new StreamWriter(path);
        writer.NewLine = "\n";
        writer.WriteLine(OutputHeader);
        foreach (var (shot, fix) in estimates)
        {
            var key = shot.Key;
            var located = fix is null
                ? ",,,0"
                : string.Create(CultureInfo.InvariantCulture, $"{fix.Position.X:F2},{fix.Position.Y:F2},{fix.UncertaintyMeters:F2},{fix.SensorsUsed}");
            writer.WriteLine($"{Quote(key.FiringPosition)},{Quote(key.TestId)},{Quote(key.ShotIndex)},{located}");
        }
    }

    private static void WriteReport(TextWriter output, IReadOnlyList<(RecordedShot Shot, ShotLocation? Fix)> estimates, TimeSpan elapsed)
    {
        var unlocated = estimates.Count(e => e.Fix is null);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"shots: {estimates.Count}, located: {estimates.Count - unlocated}, not located: {unlocated}, solve time: {elapsed.TotalMilliseconds / Math.Max(1, estimates.Count):F2} ms/shot"));

        var scored = estimates
            .Where(e => e.Fix is not null && e.Shot.Survey is not null)
            .Select(e => (Error: e.Fix!.Position.HorizontalDistanceTo(e.Shot.Survey!.Value), e.Fix.UncertaintyMeters))
            .ToList();
        if (scored.Count == 0)
        {
            return;
        }

        var summary = ErrorSummary.From(scored.Select(s => s.Error));
        var withinUncertainty = scored.Count(s => s.Error <= s.UncertaintyMeters) / (double)scored.Count;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"horizontal error vs survey over {summary.Count} shots: median {summary.Median:F2} m, p90 {summary.P90:F2} m, max (p100) {summary.Max:F2} m, within 25 m {summary.ShareWithin25Meters:P1}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"error within reported 1-sigma uncertainty: {withinUncertainty:P1} of shots"));
    }

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
