namespace SafeCities.Modules.Sensors.Location;

/// <summary>Dense helpers for the tiny (≤ 4×4) symmetric systems of the least-squares solver.</summary>
internal static class SmallMatrix
{
    /// <summary>Solves A·x = b for a symmetric positive-definite A by Cholesky; false when A is not positive definite.</summary>
    public static bool TrySolve(double[,] a, ReadOnlySpan<double> b, Span<double> x)
    {
        var n = b.Length;
        var l = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = a[i, j];
                for (var k = 0; k < j; k++)
                {
                    sum -= l[i, k] * l[j, k];
                }

                if (i == j)
                {
                    if (!(sum > 1e-300))
                    {
                        return false;
                    }

                    l[i, i] = Math.Sqrt(sum);
                }
                else
                {
                    l[i, j] = sum / l[j, j];
                }
            }
        }

        Span<double> y = stackalloc double[n];
        for (var i = 0; i < n; i++)
        {
            var sum = b[i];
            for (var k = 0; k < i; k++)
            {
                sum -= l[i, k] * y[k];
            }

            y[i] = sum / l[i, i];
        }

        for (var i = n - 1; i >= 0; i--)
        {
            var sum = y[i];
            for (var k = i + 1; k < n; k++)
            {
                sum -= l[k, i] * x[k];
            }

            x[i] = sum / l[i, i];
        }

        return true;
    }

    /// <summary>Inverse of a symmetric positive-definite matrix, or null when it is singular.</summary>
    public static double[,]? TryInvert(double[,] a)
    {
        var n = a.GetLength(0);
        var inverse = new double[n, n];
        Span<double> unit = stackalloc double[n];
        Span<double> column = stackalloc double[n];
        for (var j = 0; j < n; j++)
        {
            unit.Clear();
            unit[j] = 1.0;
            if (!TrySolve(a, unit, column))
            {
                return null;
            }

            for (var i = 0; i < n; i++)
            {
                inverse[i, j] = column[i];
            }
        }

        return inverse;
    }
}
