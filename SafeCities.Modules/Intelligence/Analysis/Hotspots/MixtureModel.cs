namespace SafeCities.Modules.Intelligence.Analysis.Hotspots;

/// <summary>
/// One surface of the <see cref="MixtureModel"/>: per-cell amounts from the events strictly before a day. <see cref="LongRun"/> says whether
/// it describes the long-run places (the page's "background") or recent events.
/// </summary>
internal sealed record MixtureComponent(string Name, bool LongRun, Func<EventSet, double, double[]> Surface);

/// <summary>
/// A mixture of long- and short-term surfaces whose weights are fitted, for every forecast, on the events before it only: each candidate
/// weighting (a simplex grid of <c>step</c>) forecasts each of the <c>validationWindows</c> weeks just before the forecast instant from the
/// events before that week, and the weighting whose flagged cells (⌈share × A⌉, as scored) caught the largest mean share of those weeks'
/// events wins (ties: the first candidate, so it is deterministic) — unless <c>standardErrors</c> &gt; 0 and it beats the first candidate
/// (the first component alone) by no more than that many standard errors of their paired weekly differences, in which case the first
/// candidate is kept (the one-standard-error rule: a finer grid of weightings without chasing the weekly noise, ADR 0060). The surfaces are
/// normalised to sum 1 before mixing. Nothing at or after the forecast instant is read (rolling-origin validation inside the training data);
/// see docs/adr/0027-hotspot-mixture-model.md.
/// </summary>
internal sealed class MixtureModel : IHotspotModel
{
    private readonly IReadOnlyList<MixtureComponent> components;
    private readonly double[][] candidates;
    private readonly int validationWindows;
    private readonly double share;
    private readonly double standardErrors;

    public MixtureModel(string name, IReadOnlyList<MixtureComponent> components, double step, int validationWindows, double share,
        double standardErrors = 0)
    {
        if (components.Count == 0 || !(step > 0 && step <= 1) || validationWindows < 0 || !(share > 0 && share <= 1) || !(standardErrors >= 0))
            throw new ArgumentException("A mixture needs components, a step in (0, 1], validation windows ≥ 0, a share in (0, 1] and standard errors ≥ 0.");
        (Name, this.components, this.validationWindows, this.share, this.standardErrors) = (name, components, validationWindows, share, standardErrors);
        candidates = [.. Simplex(components.Count, (int)Math.Round(1 / step))];
    }

    public string Name { get; }

    /// <summary>The weeks the weights are validated on are at least this long (a shift holds too few events to tell weightings apart).</summary>
    public const double MinValidationDays = 7;

    /// <summary>
    /// The standard mixture (ADR 0027): incidents per cell (events in the same cell within an hour of the previous counted one are one
    /// incident) decayed with τ = 365 d and undecayed, both over 4 years; the 365-day one smoothed with σ = ⅔ cell (neighbouring cells);
    /// and the recent incidents (τ = 30 d over 120 d). Weights in steps of 0.125 (165 weightings), validated on the 26 weeks before each
    /// forecast; the best weighting replaces the first surface alone only when it is more than one standard error better (ADR 0060).
    /// </summary>
    public static MixtureModel Standard(string name, double cellMeters, double share) => new(name,
    [
        new("incidents τ365", true, (e, day) => IncidentCounts(e, day, timeScaleDays: 365, windowDays: 1460)),
        new("incidents 4 y", true, (e, day) => IncidentCounts(e, day, timeScaleDays: double.PositiveInfinity, windowDays: 1460)),
        new("incidents τ365 nearby", true, (e, day) => e.Grid.Smooth(IncidentCounts(e, day, timeScaleDays: 365, windowDays: 1460), cellMeters * 2 / 3)),
        new("recent incidents τ30", false, (e, day) => IncidentCounts(e, day, timeScaleDays: 30, windowDays: 120)),
    ], step: 0.125, validationWindows: 26, share, standardErrors: 1);

    /// <summary>The weights the forecast for <paramref name="fromDay"/> uses (one per component, summing to 1).</summary>
    public double[] Weights(EventSet events, double fromDay, double horizonDays)
    {
        if (candidates.Length == 1 || validationWindows == 0)
            return candidates[0];
        var length = Math.Max(MinValidationDays, horizonDays);
        var hits = new double[validationWindows, candidates.Length];   // each week's hit rate per weighting (0 for a week with nothing to score)
        var mix = new double[events.Grid.CellCount];
        for (var v = 1; v <= validationWindows; v++)
        {
            var from = fromDay - v * length;
            var window = HotspotScoring.WindowCells(events, from, length);
            var flaggedCount = HotspotScoring.FlaggedCount(share, HotspotScoring.ActiveCells(events, from));
            if (window.Length == 0 || flaggedCount == 0)
                continue;
            var counts = new Dictionary<int, int>();
            foreach (var c in window)
                if (c >= 0)
                    counts[c] = counts.GetValueOrDefault(c) + 1;
            var surfaces = Surfaces(events, from);
            // Only the cells some surface scores can rank above zero: when at least flaggedCount of them score above zero under a weighting,
            // flagging among them alone picks exactly the cells flagging the whole grid would (same order, same ties), at a fraction of the cost.
            var support = Support(surfaces);
            var compact = surfaces.Select(s => support.Select(c => s[c]).ToArray()).ToArray();
            var compactMix = new double[support.Length];
            for (var w = 0; w < candidates.Length; w++)
            {
                Mix(compact, candidates[w], compactMix);
                var positive = 0;
                foreach (var x in compactMix)
                    if (x > 0)
                        positive++;
                var captured = 0;
                if (positive >= flaggedCount)
                    foreach (var i in HotspotScoring.Flag(compactMix, flaggedCount))
                        captured += counts.GetValueOrDefault(support[i]);
                else
                {
                    Mix(surfaces, candidates[w], mix);
                    foreach (var c in HotspotScoring.Flag(mix, flaggedCount))
                        captured += counts.GetValueOrDefault(c);
                }
                hits[v - 1, w] = (double)captured / window.Length;
            }
        }
        var gains = new double[candidates.Length];
        for (var v = 0; v < validationWindows; v++)
            for (var w = 0; w < candidates.Length; w++)
                gains[w] += hits[v, w];
        var best = 0;
        for (var w = 1; w < candidates.Length; w++)
            if (gains[w] > gains[best] + 1e-12)
                best = w;
        if (standardErrors > 0 && best != 0 && !ClearlyBetter(hits, best, standardErrors))
            best = 0;
        return candidates[best];
    }

    /// <summary>
    /// Whether weighting <paramref name="best"/> beats the first over the validation weeks by more than <paramref name="z"/> standard errors
    /// of the mean of their paired weekly differences (the one-standard-error rule of model selection, z = 1).
    /// </summary>
    internal static bool ClearlyBetter(double[,] hits, int best, double z)
    {
        var n = hits.GetLength(0);
        if (n < 2)
            return true;
        var diffs = new double[n];
        for (var v = 0; v < n; v++)
            diffs[v] = hits[v, best] - hits[v, 0];
        var mean = diffs.Average();
        var sd = Math.Sqrt(diffs.Sum(d => (d - mean) * (d - mean)) / (n - 1));
        return mean > z * sd / Math.Sqrt(n);
    }

    private static int[] Support(double[][] surfaces)
    {
        var cells = new List<int>();
        for (var c = 0; c < surfaces[0].Length; c++)
            foreach (var s in surfaces)
                if (s[c] > 0)
                {
                    cells.Add(c);
                    break;
                }
        return [.. cells];
    }

    public CellForecast Forecast(EventSet events, double fromDay, double horizonDays)
    {
        var weights = Weights(events, fromDay, horizonDays);
        var surfaces = Surfaces(events, fromDay);
        var score = new double[events.Grid.CellCount];
        var longRun = new double[score.Length];
        var recent = new double[score.Length];
        for (var k = 0; k < surfaces.Length; k++)
        {
            if (weights[k] == 0)
                continue;
            var part = components[k].LongRun ? longRun : recent;
            for (var c = 0; c < score.Length; c++)
                part[c] += weights[k] * surfaces[k][c];
        }
        for (var c = 0; c < score.Length; c++)
            score[c] = longRun[c] + recent[c];
        return new CellForecast(score, longRun, recent);
    }

    /// <summary>
    /// Incidents per cell in [day − windowDays, day): an event in the same cell less than an hour after the last one counted there is the same
    /// incident (a burst of shots, several reports of one theft) and is not counted again; each incident weighs e^(−age/τ).
    /// </summary>
    public static double[] IncidentCounts(EventSet events, double day, double timeScaleDays, double windowDays)
    {
        const double sameIncidentDays = 1.0 / 24;
        var score = new double[events.Grid.CellCount];
        var last = new Dictionary<int, double>();
        var hi = events.CountBefore(day);
        for (var i = events.CountBefore(day - windowDays); i < hi; i++)
        {
            var cell = events.Cells[i];
            if (cell < 0 || (last.TryGetValue(cell, out var previous) && events.Days[i] - previous < sameIncidentDays))
                continue;
            last[cell] = events.Days[i];
            score[cell] += double.IsPositiveInfinity(timeScaleDays) ? 1 : Math.Exp(-(day - events.Days[i]) / timeScaleDays);
        }
        return score;
    }

    private double[][] Surfaces(EventSet events, double day) => [.. components.Select(c => Normalised(c.Surface(events, day)))];

    private static double[] Normalised(double[] surface)
    {
        var total = surface.Sum();
        if (total > 0)
            for (var c = 0; c < surface.Length; c++)
                surface[c] /= total;
        return surface;
    }

    private static void Mix(double[][] surfaces, double[] weights, double[] target)
    {
        Array.Clear(target);
        for (var k = 0; k < surfaces.Length; k++)
        {
            var w = weights[k];
            if (w == 0)
                continue;
            var s = surfaces[k];
            for (var c = 0; c < target.Length; c++)
                target[c] += w * s[c];
        }
    }

    /// <summary>Every weighting of <paramref name="k"/> components in steps of 1/<paramref name="n"/>, the first component's heaviest first.</summary>
    private static IEnumerable<double[]> Simplex(int k, int n) => Compositions(k, n).Select(parts => parts.Select(p => p / (double)n).ToArray());

    private static IEnumerable<int[]> Compositions(int k, int n)
    {
        if (k == 1)
        {
            yield return [n];
            yield break;
        }
        for (var i = n; i >= 0; i--)
            foreach (var rest in Compositions(k - 1, n - i))
                yield return [i, .. rest];
    }
}
