using System.Globalization;

namespace SafeCities.Modules.Intelligence.Analysis.NearRepeat;

/// <summary>
/// Band labels that say what the bands hold (the calculator's own labels are off by one: its "8 to 14 days" holds 7–13 days apart), and
/// the calculator's plain-language headline.
/// </summary>
internal static class KnoxLabels
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static IReadOnlyList<string> Distances(KnoxSettings s) =>
    [
        "Same location",
        .. Enumerable.Range(0, s.SpatialBands).Select(k => k == 0
            ? string.Create(Invariant, $"under {s.SpatialBandwidth:0.#} m")
            : string.Create(Invariant, $"{k * s.SpatialBandwidth:0.#} to under {(k + 1) * s.SpatialBandwidth:0.#} m")),
        string.Create(Invariant, $"{s.SpatialBands * s.SpatialBandwidth:0.#} m or more"),
    ];

    public static IReadOnlyList<string> Days(KnoxSettings s) =>
    [
        .. Enumerable.Range(0, s.TemporalBands).Select(k => s.TemporalBandwidth == 1
            ? string.Create(Invariant, $"{k} days")
            : string.Create(Invariant, $"{k * s.TemporalBandwidth} to {(k + 1) * s.TemporalBandwidth - 1} days")),
        string.Create(Invariant, $"{s.TemporalBands * s.TemporalBandwidth} days or more"),
    ];

    /// <summary>
    /// The most over-represented significant near-repeat cell (not same location, not the "or more" row or column), as the calculator
    /// words it: "Within 100 m and 7 days of an incident, the risk of another is 69 % higher than expected." Null if no cell qualifies.
    /// </summary>
    public static string? NearRepeatSentence(KnoxResult result, double alpha = 0.05)
    {
        var best = Best(result, alpha, firstRow: 1, lastRow: result.Rows - 2);
        if (best is not var (row, column, ratio))
            return null;
        var s = result.Settings;
        return string.Create(Invariant,
            $"Within {row * s.SpatialBandwidth:0.#} m and {(column + 1) * s.TemporalBandwidth} days of an incident (band: {Distances(s)[row]}, {Days(s)[column]} apart), the risk of another is {Percent(ratio)} % higher than expected (p = {result.PValue[row, column]:0.###}).");
    }

    /// <summary>Repeats at the same location, worded likewise; null if none is significantly over-represented.</summary>
    public static string? RepeatSentence(KnoxResult result, double alpha = 0.05)
    {
        if (Best(result, alpha, firstRow: 0, lastRow: 0) is not var (_, column, ratio))
            return null;
        return string.Create(Invariant,
            $"At the same location within {(column + 1) * result.Settings.TemporalBandwidth} days ({Days(result.Settings)[column]} apart), the risk of a repeat is {Percent(ratio)} % higher than expected (p = {result.PValue[0, column]:0.###}).");
    }

    private static string Percent(double ratio) => Math.Round((ratio - 1) * 100).ToString("0", Invariant);

    private static (int Row, int Column, double Ratio)? Best(KnoxResult result, double alpha, int firstRow, int lastRow)
    {
        (int, int, double)? best = null;
        for (var r = firstRow; r <= lastRow; r++)
        for (var c = 0; c < result.Columns - 1; c++)
            if (result.Ratio(r, c) is { } ratio && ratio > 1 && result.PValue[r, c] <= alpha && (best is null || ratio > best.Value.Item3))
                best = (r, c, ratio);
        return best;
    }
}
