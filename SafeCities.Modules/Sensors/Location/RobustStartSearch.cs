namespace SafeCities.Modules.Sensors.Location;

/// <summary>
/// Finds a start point for the least-squares fit that outliers cannot drag: a horizontal grid over the sensors'
/// bounding box (plus a margin) scored with a truncated quadratic loss around the MEDIAN range residual, then a
/// shrinking pattern search from the best few distinct cells. Elevation stays at the problem's prior.
/// </summary>
internal static class RobustStartSearch
{
    private const int CoarseCellsPerSide = 48;
    private const int Candidates = 4;
    private const double MinimumMarginMeters = 200.0;
    private const double FinestStepMeters = 0.25;
    private const int PatternHalfWidth = 2;
    private const int MaxMovesPerLevel = 16;

    /// <param name="problem">The shot.</param>
    /// <param name="inlierToleranceMeters">Residual beyond which a pulse counts as an outlier (the loss saturates).</param>
    /// <param name="marginFraction">Search margin as a share of the sensor box's larger side.</param>
    public static SourceEstimate Find(TdoaProblem problem, double inlierToleranceMeters, double marginFraction)
    {
        var scratch = new double[2 * problem.Count];
        var (minX, maxX) = MinMax(problem.X);
        var (minY, maxY) = MinMax(problem.Y);
        var margin = Math.Max(MinimumMarginMeters, marginFraction * Math.Max(maxX - minX, maxY - minY));
        (minX, maxX, minY, maxY) = (minX - margin, maxX + margin, minY - margin, maxY + margin);
        var step = Math.Max(Math.Max(maxX - minX, maxY - minY) / CoarseCellsPerSide, 1.0);

        var tau = Math.Max(inlierToleranceMeters, step);
        var cells = new List<(double Cost, double X, double Y)>();
        for (var x = minX; x <= maxX; x += step)
        {
            for (var y = minY; y <= maxY; y += step)
            {
                cells.Add((Cost(problem, x, y, tau, scratch, out _), x, y));
            }
        }

        cells.Sort((a, b) => a.Cost.CompareTo(b.Cost));
        var best = (Cost: double.PositiveInfinity, Estimate: default(SourceEstimate));
        foreach (var (x, y) in DistinctBest(cells, 3 * step))
        {
            var (rx, ry) = PatternSearch(problem, x, y, step, inlierToleranceMeters, scratch);
            var cost = Cost(problem, rx, ry, inlierToleranceMeters, scratch, out var bias);
            if (cost < best.Cost)
            {
                best = (cost, new SourceEstimate(rx, ry, problem.PriorZ, bias));
            }
        }

        return best.Estimate;
    }

    /// <summary>
    /// Σ min((rᵢ − b)² / τ², 1) with b the median range residual (the emission-time estimate), which late
    /// outliers cannot pull far.
    /// </summary>
    /// <param name="scratch">Work space of at least twice the pulse count.</param>
    public static double Cost(TdoaProblem problem, double x, double y, double tau, double[] scratch, out double bias)
    {
        var n = problem.Count;
        var residuals = scratch.AsSpan(0, n);
        var sorted = scratch.AsSpan(n, n);
        for (var i = 0; i < n; i++)
        {
            residuals[i] = problem.Range[i] - problem.DistanceTo(i, x, y, problem.PriorZ);
        }

        residuals.CopyTo(sorted);
        bias = SampleStatistics.MedianInPlace(sorted);
        double cost = 0;
        var inverseTauSquared = 1.0 / (tau * tau);
        foreach (var residual in residuals)
        {
            var r = residual - bias;
            cost += Math.Min(r * r * inverseTauSquared, 1.0);
        }

        return cost;
    }

    private static IEnumerable<(double X, double Y)> DistinctBest(List<(double Cost, double X, double Y)> sortedCells, double separation)
    {
        var chosen = new List<(double X, double Y)>(Candidates);
        foreach (var cell in sortedCells)
        {
            if (chosen.Count == Candidates)
            {
                break;
            }

            if (chosen.TrueForAll(c => Math.Abs(c.X - cell.X) >= separation || Math.Abs(c.Y - cell.Y) >= separation))
            {
                chosen.Add((cell.X, cell.Y));
            }
        }

        return chosen;
    }

    /// <summary>Moves to the best point of a (2h+1)² lattice around the current point, halving the lattice when the centre wins.</summary>
    private static (double X, double Y) PatternSearch(TdoaProblem problem, double x, double y, double step, double inlierToleranceMeters, double[] scratch)
    {
        var moves = 0;
        while (step >= FinestStepMeters)
        {
            var spacing = step / PatternHalfWidth;
            var tau = Math.Max(inlierToleranceMeters, 2 * spacing);
            var centreCost = Cost(problem, x, y, tau, scratch, out _);
            var (bestCost, bestX, bestY) = (centreCost, x, y);
            for (var i = -PatternHalfWidth; i <= PatternHalfWidth; i++)
            {
                for (var j = -PatternHalfWidth; j <= PatternHalfWidth; j++)
                {
                    var (cx, cy) = (x + (i * spacing), y + (j * spacing));
                    var cost = Cost(problem, cx, cy, tau, scratch, out _);
                    if (cost < bestCost - 1e-12)
                    {
                        (bestCost, bestX, bestY) = (cost, cx, cy);
                    }
                }
            }

            if (bestCost < centreCost && moves++ < MaxMovesPerLevel)
            {
                (x, y) = (bestX, bestY);
            }
            else
            {
                step /= 2;
                moves = 0;
            }
        }

        return (x, y);
    }

    private static (double Min, double Max) MinMax(double[] values)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var value in values)
        {
            min = Math.Min(min, value);
            max = Math.Max(max, value);
        }

        return (min, max);
    }
}
