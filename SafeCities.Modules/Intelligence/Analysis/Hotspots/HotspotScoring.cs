namespace SafeCities.Modules.Intelligence.Analysis.Hotspots;

/// <summary>How one forecast did in its window at a flagged-area share.</summary>
internal sealed record HotspotScore(int Events, int Captured, int BestCaptured, int FlaggedCells, int ActiveCells, double HitRate, double Pai, double Pei);

/// <summary>
/// The accountability arithmetic (issue 11): hit rate n/N, PAI = (n/N)/(a/A) and PEI = n/n*, where A is the number of cells holding at least
/// one event in the 365 days before the forecast, a = ⌈share × A⌉ cells flagged highest score first (ties: lower cell index first), n the
/// window's events in the flagged cells, N all the window's events (those outside the grid too) and n* the most events any a cells held.
/// </summary>
internal static class HotspotScoring
{
    /// <summary>The a cells a forecast flags, best first (score descending, then cell index ascending).</summary>
    public static int[] Flag(double[] score, int count)
    {
        count = Math.Min(count, score.Length);
        var queue = new PriorityQueue<int, (double Score, int Cell)>(count + 1, Comparer<(double Score, int Cell)>.Create((a, b) =>
            a.Score != b.Score ? a.Score.CompareTo(b.Score) : b.Cell.CompareTo(a.Cell)));
        for (var c = 0; c < score.Length; c++)
        {
            if (queue.Count < count)
                queue.Enqueue(c, (score[c], c));
            else if (count > 0 && queue.TryPeek(out var worst, out var key) && (score[c] > key.Score || (score[c] == key.Score && c < worst)))
                queue.EnqueueDequeue(c, (score[c], c));
        }
        var flagged = new int[queue.Count];
        for (var i = flagged.Length - 1; i >= 0; i--)
            flagged[i] = queue.Dequeue();
        return flagged;
    }

    /// <summary>The flagged-cell count for a share of the active cells: ⌈share × A⌉.</summary>
    public static int FlaggedCount(double share, int activeCells) => (int)Math.Ceiling(share * activeCells - 1e-9);

    /// <summary>Scores a forecast; null when the window had no events or no cell was active (nothing to score against).</summary>
    public static HotspotScore? Score(double[] score, IReadOnlyList<int> windowCells, int activeCells, double share)
    {
        var n = windowCells.Count;
        var a = FlaggedCount(share, activeCells);
        if (n == 0 || activeCells == 0 || a == 0)
            return null;
        return ScoreFlagged(Flag(score, a), windowCells, activeCells);
    }

    /// <summary>Scores the cells a forecast flagged (a = their number) against its window's events.</summary>
    public static HotspotScore? ScoreFlagged(IReadOnlyList<int> flagged, IReadOnlyList<int> windowCells, int activeCells)
    {
        var n = windowCells.Count;
        var a = flagged.Count;
        if (n == 0 || activeCells == 0 || a == 0)
            return null;
        var counts = new Dictionary<int, int>();
        foreach (var c in windowCells)
            if (c >= 0)
                counts[c] = counts.GetValueOrDefault(c) + 1;
        var captured = flagged.Sum(c => counts.GetValueOrDefault(c));
        var best = counts.Values.OrderDescending().Take(a).Sum();
        var hitRate = (double)captured / n;
        return new HotspotScore(n, captured, best, a, activeCells, hitRate, hitRate / ((double)a / activeCells), best == 0 ? 0 : (double)captured / best);
    }

    /// <summary>A: the cells holding at least one event in [fromDay − days, fromDay).</summary>
    public static int ActiveCells(EventSet events, double fromDay, double days = 365)
    {
        var seen = new HashSet<int>();
        var hi = events.CountBefore(fromDay);
        for (var i = events.CountBefore(fromDay - days); i < hi; i++)
            if (events.Cells[i] >= 0)
                seen.Add(events.Cells[i]);
        return seen.Count;
    }

    /// <summary>The cells of the events in [fromDay, fromDay + horizonDays) (-1 for one outside the grid).</summary>
    public static int[] WindowCells(EventSet events, double fromDay, double horizonDays)
    {
        var lo = events.CountBefore(fromDay);
        var hi = events.CountBefore(fromDay + horizonDays);
        return events.Cells[lo..hi];
    }
}
