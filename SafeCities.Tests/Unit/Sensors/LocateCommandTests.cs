using System.Globalization;
using SafeCities.Benchmarks;
using SafeCities.Modules.Sensors.Location;

namespace SafeCities.Tests.Unit.Sensors;

public sealed class LocateCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("locate-tests-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string WriteSyntheticInput(bool withSurvey)
    {
        var source = new Point3(500, 400, 10);
        var lines = new List<string>
        {
            "firing_position,test_id,shot_index,sensor_serial,arrival_time_utc,sensor_x_m,sensor_y_m,sensor_z_m,temperature_c"
                + (withSurvey ? ",survey_x_m,survey_y_m,survey_z_m" : string.Empty),
        };
        var pulses = SyntheticShot.Pulses(source, 1_545_180_568.0, SyntheticShot.Array.Take(8));
        foreach (var (pulse, i) in pulses.Select((p, i) => (p, i)))
        {
            var time = DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(pulse.ArrivalTimeSeconds * TimeSpan.TicksPerSecond));
            var survey = withSurvey ? ",500,400,10" : string.Empty;
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"FP9,\"7\",0,S{i},{time:yyyy-MM-ddTHH:mm:ss.fffffffZ},{pulse.Sensor.X},{pulse.Sensor.Y},{pulse.Sensor.Z},{SyntheticShot.TemperatureCelsius}{survey}"));
        }

        var path = Path.Combine(directory, "pulses.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void Writes_one_estimate_per_shot_and_reports_errors_against_the_survey()
    {
        var input = WriteSyntheticInput(withSurvey: true);
        var estimates = Path.Combine(directory, "estimates.csv");
        var output = new StringWriter();

        var exit = LocateCommand.Run(["locate", "--input", input, "--output", estimates], output);

        Assert.Equal(0, exit);
        var lines = File.ReadAllLines(estimates);
        Assert.Equal("firing_position,test_id,shot_index,x_m,y_m,uncertainty_m,sensors_used", lines[0]);
        var fields = Assert.Single(lines.Skip(1)).Split(',');
        Assert.Equal(["FP9", "7", "0"], fields[..3]);
        Assert.Equal(500, double.Parse(fields[3], CultureInfo.InvariantCulture), 0.5);
        Assert.Equal(400, double.Parse(fields[4], CultureInfo.InvariantCulture), 0.5);
        Assert.Equal("8", fields[6]);
        Assert.Contains("median", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("within 25 m 100.0", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_survey_columns_no_error_report_is_printed()
    {
        var input = WriteSyntheticInput(withSurvey: false);
        var output = new StringWriter();

        var exit = LocateCommand.Run(["--input", input, "--output", Path.Combine(directory, "e.csv"), "--temperature", "20"], output);

        Assert.Equal(0, exit);
        Assert.Contains("shots: 1", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("median", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_input_is_a_clear_error()
    {
        var output = new StringWriter();

        var exit = LocateCommand.Run(["locate", "--input", Path.Combine(directory, "nope.csv"), "--output", Path.Combine(directory, "e.csv")], output);

        Assert.NotEqual(0, exit);
        Assert.Contains("does not exist", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Unreadable_input_is_a_clear_error()
    {
        var input = Path.Combine(directory, "bad.csv");
        File.WriteAllText(input, "just,some,columns\n1,2,3\n");
        var output = new StringWriter();

        var exit = LocateCommand.Run(["locate", "--input", input, "--output", Path.Combine(directory, "e.csv")], output);

        Assert.NotEqual(0, exit);
        Assert.Contains("cannot read input", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("--input")]
    [InlineData("--input a.csv --output b.csv --temperature warm")]
    [InlineData("--frobnicate")]
    public void Bad_arguments_print_usage(string commandLine)
    {
        var output = new StringWriter();

        Assert.Equal(2, LocateCommand.Run(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries), output));
        Assert.Contains("usage: locate", output.ToString(), StringComparison.Ordinal);
    }
}
