using System.Diagnostics;
using System.Globalization;

namespace SafeCities.Modules.Sensors.Location;

/// <summary>
/// Locates every shot of a flat pulse table (ShotSpotter nlos_tuples_flat.csv format), writes one estimate per shot and, when the table
/// has survey columns, reports the horizontal error distribution. Reached from outside the module through
/// <see cref="SensorsModule.LocateShotRecording"/> (the <c>locate</c> benchmark).
/// </summary>
internal static class ShotRecordingLocator
{
    private const string OutputHeader = "firing_position,test_id,shot_index,x_m,y_m,uncertainty_m,sensors_used";

    /// <returns>0 when located and written, 1 when the input could not be read or the output not written (said on <paramref name="output"/>).</returns>
    public static int Locate(string input, string outputPath, double? temperatureCelsius, TextWriter output)
    {
        IReadOnlyList<RecordedShot> shots;
        try
        {
            shots = ShotRecordingCsv.ReadFile(input);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            output.WriteLine($"error: cannot read input '{input}': {ex.Message}");
            return 1;
        }

        var solver = new TdoaSolver(TdoaSolverOptions.Field);
        var stopwatch = Stopwatch.StartNew();
        var estimates = shots.Select(shot => (Shot: shot, Fix: solver.Solve(shot.Pulses, temperatureCelsius ?? shot.TemperatureCelsius))).ToList();
        stopwatch.Stop();

        try
        {
            WriteEstimates(outputPath, estimates);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            output.WriteLine($"error: cannot write output '{outputPath}': {ex.Message}");
            return 1;
        }

        WriteReport(output, estimates, stopwatch.Elapsed);
        return 0;
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
