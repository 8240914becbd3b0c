using System.Globalization;
using SafeCities.Modules.Sensors;

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

        return SensorsModule.LocateShotRecording(arguments.Input, arguments.Output, arguments.TemperatureCelsius, output);
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
}
