using System.Globalization;
using SafeCities.Modules.Intelligence.Analysis.NearRepeat;
using SafeCities.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SafeCities.Tests.Unit.Intelligence;

/// <summary>
/// The Knox test against Ratcliffe's Near Repeat Calculator 1.3 output in shared/data/near_repeat (run by W. Steenbeek on the two Chicago
/// files): the observed tables must match exactly; the ratios, which come from the calculator's own 20 or 100 random permutations, within
/// a tolerance set by that randomness (see <see cref="AssertRatiosClose"/>).
/// </summary>
public sealed class NearRepeatCalculatorTests(ITestOutputHelper output)
{
    private static IReadOnlyList<KnoxEvent> Read(string path) =>
        File.ReadLines(path).Where(l => l.Length > 0).Select(l => l.Split(',')).Select(f => new KnoxEvent(
            double.Parse(f[0], CultureInfo.InvariantCulture), double.Parse(f[1], CultureInfo.InvariantCulture),
            DateOnly.ParseExact(f[2], "yyyy-MM-dd", CultureInfo.InvariantCulture).DayNumber)).ToList();

    [Fact]
    public void Burglary_observed_table_equals_the_calculators_and_ratios_are_close()
    {
        if (SharedData.FileOrSkip("near_repeat/chicago_be_month1.csv", output) is not { } path)
            return;
        var result = KnoxTest.Run(Read(path), new KnoxSettings(100, 3, 7, 3, Permutations: 999, Seed: 11));

        // NRC verbose file, "Observed frequencies distribution"
        int[,] calculator =
        {
            { 28, 5, 5, 2 }, { 44, 13, 8, 4 }, { 97, 56, 19, 16 }, { 77, 67, 45, 20 }, { 182194, 146149, 95237, 45879 },
        };
        Assert.Equal(970, result.Events);
        Assert.Equal(calculator, result.Observed);
        // NRC summary, "Observed over mean expected frequencies" (20 permutations)
        double?[,] ratios =
        {
            { 1.65, 0.43, 0.63, 0.58 }, { 1.69, 0.60, 0.57, 0.56 }, { 1.32, 0.94, 0.51, 0.88 }, { 0.94, 1.03, 1.07, 1.01 },
            { 1.00, 1.00, 1.00, 1.00 },
        };
        AssertRatiosClose(result, ratios, calculatorPermutations: 19);
        var sentence = KnoxLabels.NearRepeatSentence(result);
        output.WriteLine(sentence);
        Assert.StartsWith("Within 100 m and 7 days of an incident", sentence);
    }

    [Fact]
    public void Arson_observed_table_equals_the_calculators_including_its_single_precision_boundary_pairs()
    {
        if (SharedData.FileOrSkip("near_repeat/chicago_arson.csv", output) is not { } path)
            return;
        var result = KnoxTest.Run(Read(path), new KnoxSettings(200, 3, 1, 3, Permutations: 999, Seed: 7));

        // NRC verbose file (blank cells are 0). A pair 0.56 m apart is not "same location"; one 399.96 m apart is 400.0 m in single
        // precision and falls in the third band.
        int[,] calculator =
        {
            { 0, 2, 0, 8 }, { 9, 1, 1, 45 }, { 4, 0, 0, 140 }, { 6, 0, 0, 234 }, { 393, 710, 770, 133658 },
        };
        Assert.Equal(522, result.Events);
        Assert.Equal(calculator, result.Observed);
        double?[,] ratios =
        {
            { null, 28.286, null, .814 }, { 74.25, 3.667, 3.96, .813 }, { 11.647, null, null, .986 }, { 7.714, null, null, .989 },
            { .957, .999, 1.002, 1 },
        };
        AssertRatiosClose(result, ratios, calculatorPermutations: 99);
        Assert.Equal(0.001, result.PValue[1, 0], 6);   // 9 pairs within 200 m on the same day: no permutation reaches it
    }

    [Fact]
    public void Same_seed_gives_the_same_expected_table_and_bands_are_half_open()
    {
        var s = new KnoxSettings(100, 3, 7, 3, Permutations: 20, Seed: 3);
        Assert.Equal(0, KnoxTest.SpatialBand(0, s));
        Assert.Equal(1, KnoxTest.SpatialBand(0.01, s));
        Assert.Equal(1, KnoxTest.SpatialBand(99.999, s));
        Assert.Equal(2, KnoxTest.SpatialBand(100, s));
        Assert.Equal(4, KnoxTest.SpatialBand(300, s));
        Assert.Equal(0, KnoxTest.TemporalBand(6, s));
        Assert.Equal(1, KnoxTest.TemporalBand(7, s));
        Assert.Equal(3, KnoxTest.TemporalBand(400, s));

        var random = new Random(5);
        var events = Enumerable.Range(0, 200).Select(_ => new KnoxEvent(random.Next(0, 2000), random.Next(0, 2000), random.Next(0, 60))).ToList();
        var a = KnoxTest.Run(events, s);
        var b = KnoxTest.Run(events, s);
        Assert.Equal(a.MeanExpected, b.MeanExpected);
        Assert.Equal(200L * 199 / 2, a.Observed.Cast<int>().Sum());
        Assert.Equal(a.Observed.Cast<int>().Sum(), a.MeanExpected.Cast<double>().Sum(), 6);
    }

    [Fact]
    public void The_largest_run_the_page_allows_finishes_in_bounded_time()
    {
        var random = new Random(9);
        var events = Enumerable.Range(0, KnoxSettings.MaxEvents)
            .Select(_ => new KnoxEvent(random.NextDouble() * 10_000, random.NextDouble() * 10_000, random.Next(0, 365))).ToList();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = KnoxTest.Run(events, new KnoxSettings(100, 3, 7, 3, Permutations: 99, Seed: 1));
        watch.Stop();
        Assert.Equal(2_000L * 1_999 / 2, result.Pairs);
        output.WriteLine($"2,000 events, 99 permutations: {watch.Elapsed.TotalSeconds:0.0} s (shared 2-core machine)");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"took {watch.Elapsed}");
    }

    /// <summary>
    /// Tolerance: a ratio is observed / mean of the permuted counts, and the calculator's mean is over only N = 20 or 100 permutations, so
    /// its expected count E carries a standard error of about √(E/N). Each cell with E ≥ 5 must agree within 4 such standard errors
    /// (relative 4/√(E·N)) plus 3 % for our own 999 permutations — 2 % to 4 % on the large cells, up to ~45 % on a burglary cell with E = 5.
    /// Cells the calculator left blank (nothing expected) must have no ratio here either or one from a tiny expected count.
    /// </summary>
    private void AssertRatiosClose(KnoxResult result, double?[,] calculator, int calculatorPermutations)
    {
        var compared = 0;
        for (var r = 0; r < result.Rows; r++)
        for (var c = 0; c < result.Columns; c++)
        {
            var ours = result.Ratio(r, c);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{r},{c}] observed {result.Observed[r, c]}, expected {result.MeanExpected[r, c]:0.###}, ratio {ours:0.###} (NRC {calculator[r, c]:0.###}), p {result.PValue[r, c]:0.###}"));
            if (calculator[r, c] is not { } theirs || theirs == 0)
                continue;
            var expected = result.Observed[r, c] / theirs;
            if (expected < 5)
                continue;
            var tolerance = 4 / Math.Sqrt(expected * (calculatorPermutations + 1)) + 0.03;
            Assert.NotNull(ours);
            Assert.True(Math.Abs(ours.Value / theirs - 1) <= tolerance,
                $"cell [{r},{c}]: ratio {ours:0.###} vs calculator {theirs:0.###} (tolerance {tolerance:P0})");
            compared++;
        }
        Assert.True(compared >= 8, $"only {compared} cells compared");
    }
}
