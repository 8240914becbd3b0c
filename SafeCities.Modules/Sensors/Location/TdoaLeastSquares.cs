namespace SafeCities.Modules.Sensors.Location;

/// <summary>
/// Result of a weighted least-squares fit: the estimate, JᵀWJ at it, the weighted residual sum of squares of the pulses
/// and the minimised objective (that sum plus the elevation prior term).
/// </summary>
internal sealed record LeastSquaresFit(SourceEstimate Estimate, double[,] Information, double WeightedSquares, double Objective, int Parameters);

/// <summary>How the source elevation is treated: fixed at the problem's prior, or solved with a Gaussian prior row.</summary>
/// <param name="Solve">Whether z is a parameter.</param>
/// <param name="PriorWeight">Weight of the prior row (range-noise / elevation-sigma) when solved.</param>
internal readonly record struct ElevationModel(bool Solve, double PriorWeight);

/// <summary>
/// Weighted Levenberg–Marquardt for the model rangeᵢ = bias + |source − sensorᵢ|. Parameters: x, y, bias and,
/// optionally, z. Everything is in metres, which keeps the normal equations well conditioned.
/// </summary>
internal static class TdoaLeastSquares
{
    private const int MaxIterations = 100;

    public static LeastSquaresFit? Fit(TdoaProblem problem, SourceEstimate start, double[] weights, ElevationModel elevation)
    {
        var p = elevation.Solve ? 4 : 3;
        var estimate = elevation.Solve ? start : start with { Z = problem.PriorZ };
        var (information, gradient, squares) = NormalEquations(problem, estimate, weights, elevation);
        var lambda = 1e-3;
        var step = new double[p];
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            var damped = (double[,])information.Clone();
            for (var k = 0; k < p; k++)
            {
                damped[k, k] += lambda * Math.Max(information[k, k], 1e-12);
            }

            if (!SmallMatrix.TrySolve(damped, gradient, step))
            {
                return null;
            }

            var candidate = new SourceEstimate(
                estimate.X + step[0],
                estimate.Y + step[1],
                elevation.Solve ? estimate.Z + step[3] : estimate.Z,
                estimate.Bias + step[2]);
            var (candidateInformation, candidateGradient, candidateSquares) = NormalEquations(problem, candidate, weights, elevation);
            if (candidateSquares <= squares)
            {
                var converged = squares - candidateSquares <= 1e-12 * (1 + squares) || Norm(step) < 1e-7;
                (estimate, information, gradient, squares) = (candidate, candidateInformation, candidateGradient, candidateSquares);
                lambda = Math.Max(lambda / 10, 1e-12);
                if (converged)
                {
                    break;
                }
            }
            else if ((lambda *= 10) > 1e12)
            {
                break;
            }
        }

        var weightedSquares = 0.0;
        for (var i = 0; i < problem.Count; i++)
        {
            var r = problem.Residual(i, estimate);
            weightedSquares += weights[i] * r * r;
        }

        return new LeastSquaresFit(estimate, information, weightedSquares, squares, p);
    }

    /// <summary>JᵀWJ, JᵀWr and Σw·r² at <paramref name="estimate"/> (plus the elevation prior row when z is solved).</summary>
    private static (double[,] Information, double[] Gradient, double Squares) NormalEquations(
        TdoaProblem problem, SourceEstimate estimate, double[] weights, ElevationModel elevation)
    {
        var p = elevation.Solve ? 4 : 3;
        var information = new double[p, p];
        var gradient = new double[p];
        Span<double> row = stackalloc double[p];
        double squares = 0;
        for (var i = 0; i < problem.Count; i++)
        {
            if (weights[i] <= 0)
            {
                continue;
            }

            var sqrtW = Math.Sqrt(weights[i]);
            var distance = problem.DistanceTo(i, estimate.X, estimate.Y, estimate.Z);
            var inverse = distance > 1e-9 ? sqrtW / distance : 0.0;
            row[0] = (estimate.X - problem.X[i]) * inverse;
            row[1] = (estimate.Y - problem.Y[i]) * inverse;
            row[2] = sqrtW;
            if (elevation.Solve)
            {
                row[3] = (estimate.Z - problem.Z[i]) * inverse;
            }

            var residual = sqrtW * (problem.Range[i] - estimate.Bias - distance);
            squares += residual * residual;
            Accumulate(information, gradient, row, residual);
        }

        if (elevation.Solve)
        {
            row.Clear();
            row[3] = elevation.PriorWeight;
            var residual = elevation.PriorWeight * (problem.PriorZ - estimate.Z);
            squares += residual * residual;
            Accumulate(information, gradient, row, residual);
        }

        return (information, gradient, squares);
    }

    private static void Accumulate(double[,] information, double[] gradient, ReadOnlySpan<double> row, double residual)
    {
        for (var a = 0; a < row.Length; a++)
        {
            gradient[a] += row[a] * residual;
            for (var b = 0; b < row.Length; b++)
            {
                information[a, b] += row[a] * row[b];
            }
        }
    }

    private static double Norm(ReadOnlySpan<double> vector)
    {
        double sum = 0;
        foreach (var value in vector)
        {
            sum += value * value;
        }

        return Math.Sqrt(sum);
    }
}
