using System.Globalization;
using SafeCities.Benchmarks;

namespace SafeCities.Tests.Unit.Intelligence;

/// <summary>The <c>hotspots</c> benchmark command: every bad argument or line named, a non-zero exit; the CSV output's exact header.</summary>
public sealed class HotspotsBenchmarkTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("hotspots-bench-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Bad_arguments_are_each_named_and_the_exit_is_non_zero()
    {
        var (code, _, error) = Run("--input", Path.Combine(directory, "missing.csv"), "--date-col", "d", "--weeks", "abc", "--share", "2", "--bogus");
        Assert.Equal(2, code);
        Assert.Contains("unexpected argument '--bogus'", error);
        Assert.Contains("--lat-col is required", error);
        Assert.Contains("--test-start is required", error);
        Assert.Contains("--weeks 'abc' is not a number", error);
        Assert.Contains("--share 2 is outside 0.000001..1", error);
        Assert.Contains("does not exist", error);
    }

    [Fact]
    public void Bad_lines_and_an_unknown_column_are_named_with_their_line_numbers()
    {
        var path = Write("d,lat,lon", "2017-01-01,40.1,-74", "not-a-date,91,x", "\"2017-01-02 10:00\",40.2,-74.1");
        var (code, _, error) = Run("--input", path, "--date-col", "d", "--lat-col", "lat", "--lon-col", "lon", "--test-start", "2017-01-02", "--weeks", "1");
        Assert.Equal(2, code);
        Assert.Contains("line 3: d 'not-a-date' is not an ISO date", error);
        Assert.Contains("lat 91 is outside ±90", error);
        Assert.Contains("lon 'x' is not a number", error);
        var (missing, _, columnError) = Run("--input", path, "--date-col", "when", "--lat-col", "lat", "--lon-col", "lon", "--test-start", "2017-01-02", "--weeks", "1");
        Assert.Equal(2, missing);
        Assert.Contains("column 'when' is not in the header (d, lat, lon)", columnError);
    }

    [Fact]
    public void Quoted_iso_dates_with_or_without_time_are_read_and_the_output_csv_has_the_agreed_header()
    {
        var random = new Random(1);
        var lines = new List<string> { "\"id\",\"when\",\"latitude\",\"longitude\"" };
        for (var i = 0; i < 400; i++)
        {
            var at = new DateTime(2016, 1, 1).AddHours(random.NextDouble() * 24 * 450);
            var when = i % 2 == 0 ? at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{i},\"{when}\",{40.7 + random.NextDouble() * 0.01:0.000000},{-73.9 + random.NextDouble() * 0.01:0.000000}"));
        }
        var output = Path.Combine(directory, "out.csv");
        var (code, stdout, error) = Run("--input", Write([.. lines]), "--date-col", "when", "--lat-col", "latitude", "--lon-col", "longitude",
            "--test-start", "2017-01-01", "--weeks", "4", "--output", output);
        Assert.True(code == 0, error);
        Assert.Contains("sepp", stdout);
        var csv = File.ReadAllLines(output);
        Assert.Equal("model,windows,mean_hit_rate,mean_pai,median_pai,mean_pei", csv[0]);
        Assert.Equal(["kde", "naive28", "sepp", "ewc", "mixture"], csv.Skip(1).Select(l => l.Split(',')[0]));
        Assert.All(csv.Skip(1), l => Assert.Equal("4", l.Split(',')[1]));
    }

    [Fact]
    public void Records_without_a_date_or_a_place_or_far_from_the_city_are_left_out_and_counted_and_the_scores_are_those_of_the_clean_file()
    {
        var random = new Random(2);
        var located = new List<string>();
        for (var i = 0; i < 600; i++)
        {
            var at = new DateTime(2016, 1, 1).AddHours(random.NextDouble() * 24 * 450);
            located.Add(string.Create(CultureInfo.InvariantCulture,
                $"{i},{at:yyyy-MM-dd HH:mm},{40.7 + random.NextDouble() * 0.02:0.000000},{-73.9 + random.NextDouble() * 0.02:0.000000},plain"));
        }
        string[] clean = ["id,when,latitude,longitude,note", .. located, "908,2016-05-03 10:00,40.71,-73.91,a note on two lines"];
        // What public extracts hold: records not geocoded (empty, NA, NULL, 0/0), undated, a typed year, a namesake street in another
        // state, a note spanning two lines, and one damaged line (under 1 % of the lines).
        string[] messy =
        [
            "id,when,latitude,longitude,note", .. located,
            "900,2016-05-01 10:00,,,not geocoded", "901,2016-05-01 10:00,NA,NA,", "902,2016-05-01 10:00,NULL,-73.9,", "903,2016-05-01 10:00,0,0,",
            "904,,40.71,-73.91,no date", "905,1015-05-21,40.71,-73.91,typed year", "906,2016-05-01 10:00,34.05,-118.24,Los Angeles",
            "907,2016-05-02 10:00,0.0,0.0,placeholder",
            "908,2016-05-03 10:00,40.71,-73.91,\"a note", "on two lines\"", "909,2016-05-04 10:00,40.71,-73.91,x\"y\"",
        ];
        string[] Args(string path) => ["--input", path, "--date-col", "when", "--lat-col", "latitude", "--lon-col", "longitude", "--test-start", "2017-01-01", "--weeks", "4"];
        var (cleanCode, cleanOut, cleanError) = Run(Args(Write(clean)));
        var (code, stdout, error) = Run(Args(Write(messy)));
        Assert.True(cleanCode == 0, cleanError);
        Assert.True(code == 0, error);
        Assert.Contains("left out: 1 without a date, 5 without a place (empty, a not-recorded marker, or 0, 0), 1 dated before 1900 or after 2199, 1 bad, "
            + "1 more than 100 km from the events' median place (not the city's)", stdout);
        Assert.Contains("line 612: Stray quote", stdout);
        Assert.Contains("601 events", stdout);
        Assert.DoesNotContain("left out", cleanOut);
        // Left out means left out: every model scores exactly what it scores on the clean file.
        Assert.Equal(4, Scores(cleanOut).Length);
        Assert.Equal(Scores(cleanOut), Scores(stdout));
    }

    [Fact]
    public void More_than_one_percent_of_bad_lines_refuses_the_file_saying_the_columns_or_format_may_be_wrong()
    {
        var lines = new List<string> { "when,lat,lon" };
        for (var i = 0; i < 100; i++)
            lines.Add(i < 2 ? $"2016-0{i + 1}-01,forty,-74" : string.Create(CultureInfo.InvariantCulture, $"2016-{1 + i % 12:00}-01,{40 + i * 0.0001},-74"));
        var (code, _, error) = Run("--input", Write([.. lines]), "--date-col", "when", "--lat-col", "lat", "--lon-col", "lon", "--test-start", "2017-01-01", "--weeks", "1");
        Assert.Equal(2, code);
        Assert.Contains("line 2: lat 'forty' is not a number", error);
        Assert.Contains("2 of 100 data lines are bad: more than 1 %", error);
    }

    private static string[] Scores(string output) =>
        [.. output.Split('\n').Where(l => l.StartsWith("kde ") || l.StartsWith("naive28 ") || l.StartsWith("sepp ") || l.StartsWith("mixture "))
            .Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..6]))];

    private string Write(params string[] lines)
    {
        var path = Path.Combine(directory, $"{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    private static (int Code, string Out, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = HotspotsBenchmark.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
