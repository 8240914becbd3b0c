namespace SafeCities.Modules.Sensors.Location;

/// <summary>
/// Locates an impulsive sound source from its arrival times at three or more sensors (time-difference-of-arrival
/// multilateration), tolerating a few late (echo / non-line-of-sight) pulses. Deterministic; about a millisecond per
/// shot for twenty sensors.
/// </summary>
/// <remarks>
/// <para>1. Robust start (<see cref="RobustStartSearch"/>): grid + pattern search on a truncated quadratic loss around
/// the median residual, so late pulses cannot drag the start.</para>
/// <para>2. Weighted Levenberg–Marquardt (<see cref="TdoaLeastSquares"/>) on the pulses consistent with the start;
/// each pulse is weighted n² / (n² + e²) by its sensor-position error e against the typical range noise n.</para>
/// <para>3. Outlier rejection: late pulses whose residual exceeds max(threshold, k·1.4826·MAD) — early ones only beyond
/// <see cref="TdoaSolverOptions.EarlyOutlierFactor"/> times that — are dropped and the fit repeated until the kept set
/// is stable. At most <see cref="TdoaSolverOptions.MaxRejectedFraction"/> of the pulses are dropped, never leaving
/// fewer than four, and nothing is dropped from four or fewer pulses (one outlier among four is not identifiable).</para>
/// <para>Uncertainty: horizontal DRMS √(σx² + σy²) of s²·(JᵀWJ)⁻¹, with s² the weighted residual variance (dof-corrected,
/// floored at the timing noise), combined in quadrature with <see cref="TdoaSolverOptions.SystematicErrorMeters"/> and floored at
/// <see cref="TdoaSolverOptions.MinimumUncertaintyMeters"/>.</para>
/// </remarks>
internal sealed class TdoaSolver(TdoaSolverOptions options)
{
    public const int MinimumSensors = 3;

    private const int MaxRejectionRounds = 20;

    public TdoaSolver()
        : this(TdoaSolverOptions.Default)
    {
    }

    public TdoaSolverOptions Options { get; } = options;

    /// <summary>Locates one shot; null when fewer than three usable pulses are given or the fit fails.</summary>
    /// <param name="pulses">One pulse per sensor (group them first, e.g. with <see cref="PulseGrouper"/>).</param>
    /// <param name="temperatureCelsius">Air temperature, for the speed of sound.</param>
    public ShotLocation? Solve(IReadOnlyList<AcousticPulse> pulses, double temperatureCelsius)
    {
        ArgumentNullException.ThrowIfNull(pulses);
        var usable = UsablePulseIndices(pulses);
        if (usable.Length < MinimumSensors)
        {
            return null;
        }

        var problem = TdoaProblem.Create(pulses, usable, SpeedOfSound.FromTemperature(temperatureCelsius), Options.SourceElevation);
        var start = RobustStartSearch.Find(problem, OutlierThresholdMeters(problem), Options.SearchMarginFraction);
        var (fit, kept) = FitRejectingOutliers(problem, start);
        return fit is null ? null : ToShotLocation(problem, fit, kept, pulses.Count);
    }

    private static int[] UsablePulseIndices(IReadOnlyList<AcousticPulse> pulses)
    {
        var indices = new List<int>(pulses.Count);
        for (var i = 0; i < pulses.Count; i++)
        {
            if (pulses[i] is { } pulse && pulse.Sensor.IsFinite && double.IsFinite(pulse.ArrivalTimeSeconds))
            {
                indices.Add(i);
            }
        }

        return [.. indices];
    }

    private double OutlierThresholdMeters(TdoaProblem problem) => Options.OutlierThresholdSeconds * problem.SpeedOfSound;

    private ElevationModel Elevation => new(Options.SolveElevation, Options.RangeNoiseMeters / Options.ElevationPriorSigmaMeters);

    private (LeastSquaresFit? Fit, bool[] Kept) FitRejectingOutliers(TdoaProblem problem, SourceEstimate start)
    {
        var n = problem.Count;
        var minimumKept = n <= 4 ? n : Math.Max(4, n - (int)Math.Floor(Options.MaxRejectedFraction * n));
        var baseWeights = PositionErrorWeights(problem);
        var kept = SelectKept(problem, start, OutlierThresholdMeters(problem), minimumKept);
        LeastSquaresFit? fit = null;
        for (var round = 0; round < MaxRejectionRounds; round++)
        {
            var weights = new double[n];
            for (var i = 0; i < n; i++)
            {
                weights[i] = kept[i] ? baseWeights[i] : 0.0;
            }

            fit = fit is null ? FitFromSeveralElevations(problem, start, weights) : TdoaLeastSquares.Fit(problem, fit.Estimate, weights, Elevation);
            if (fit is null)
            {
                return (null, kept);
            }

            var threshold = Math.Max(OutlierThresholdMeters(problem), Options.OutlierSigmaMultiplier * RobustSigma(problem, fit.Estimate, kept));
            var next = SelectKept(problem, fit.Estimate, threshold, minimumKept);
            if (next.AsSpan().SequenceEqual(kept))
            {
                break;
            }

            kept = next;
        }

        return (fit, kept);
    }

    /// <summary>
    /// When elevation is solved, an array of sensors at similar heights leaves a mirror ambiguity (above / below the
    /// sensors), so the first fit starts from the prior, below the lowest and above the highest sensor and keeps the best.
    /// </summary>
    private LeastSquaresFit? FitFromSeveralElevations(TdoaProblem problem, SourceEstimate start, double[] weights)
    {
        if (!Options.SolveElevation)
        {
            return TdoaLeastSquares.Fit(problem, start, weights, Elevation);
        }

        const double offset = 20.0;
        double[] startingElevations = [problem.PriorZ, problem.Z.Min() - offset, problem.Z.Max() + offset];
        return startingElevations
            .Select(z => TdoaLeastSquares.Fit(problem, start with { Z = z }, weights, Elevation))
            .Where(fit => fit is not null)
            .MinBy(fit => fit!.Objective);
    }

    /// <summary>n² / (n² + e²): a sensor whose own position is uncertain by e metres counts for less.</summary>
    private double[] PositionErrorWeights(TdoaProblem problem)
    {
        var noiseSquared = Options.RangeNoiseMeters * Options.RangeNoiseMeters;
        var weights = new double[problem.Count];
        for (var i = 0; i < problem.Count; i++)
        {
            var error = problem.PositionError[i];
            weights[i] = noiseSquared > 0 ? noiseSquared / (noiseSquared + (error * error)) : 1.0;
        }

        return weights;
    }

    /// <summary>
    /// Rows whose outlier score is within <paramref name="threshold"/>; if too few, the <paramref name="minimumKept"/>
    /// best. The score is the residual of a late pulse and |residual| / EarlyOutlierFactor of an early one: echoes and
    /// non-line-of-sight paths only ever arrive late, so dropping an early pulse needs far stronger evidence.
    /// </summary>
    private bool[] SelectKept(TdoaProblem problem, SourceEstimate estimate, double threshold, int minimumKept)
    {
        var n = problem.Count;
        var scores = new double[n];
        for (var i = 0; i < n; i++)
        {
            var residual = problem.Residual(i, estimate);
            scores[i] = residual >= 0 ? residual : -residual / Options.EarlyOutlierFactor;
        }

        var sorted = (double[])scores.Clone();
        Array.Sort(sorted);
        var limit = Math.Max(threshold, sorted[minimumKept - 1]);
        var kept = new bool[n];
        for (var i = 0; i < n; i++)
        {
            kept[i] = scores[i] <= limit;
        }

        return kept;
    }

    /// <summary>1.4826 · median |residual| of the kept rows (metres): a robust residual sigma.</summary>
    private static double RobustSigma(TdoaProblem problem, SourceEstimate estimate, bool[] kept)
    {
        Span<double> residuals = stackalloc double[problem.Count];
        var count = 0;
        for (var i = 0; i < problem.Count; i++)
        {
            if (kept[i])
            {
                residuals[count++] = Math.Abs(problem.Residual(i, estimate));
            }
        }

        return 1.4826 * SampleStatistics.MedianInPlace(residuals[..count]);
    }

    private ShotLocation ToShotLocation(TdoaProblem problem, LeastSquaresFit fit, bool[] kept, int pulseCount)
    {
        var usable = new HashSet<int>(problem.PulseIndices);
        var rejected = Enumerable.Range(0, pulseCount).Where(index => !usable.Contains(index)).ToList();
        var used = 0;
        var squares = 0.0;
        for (var row = 0; row < problem.Count; row++)
        {
            if (kept[row])
            {
                used++;
                var r = problem.Residual(row, fit.Estimate);
                squares += r * r;
            }
            else
            {
                rejected.Add(problem.PulseIndices[row]);
            }
        }

        rejected.Sort();
        var c = problem.SpeedOfSound;
        var e = fit.Estimate;
        return new ShotLocation(
            new Point3(problem.Origin.X + e.X, problem.Origin.Y + e.Y, problem.Origin.Z + e.Z),
            problem.ReferenceTime + (e.Bias / c),
            HorizontalUncertainty(problem, fit, used),
            used,
            rejected,
            Math.Sqrt(squares / used) / c);
    }

    /// <summary>Horizontal DRMS of s²·(JᵀWJ)⁻¹, s² = Σw·r² / (kept − parameters) floored at the timing noise.</summary>
    private double HorizontalUncertainty(TdoaProblem problem, LeastSquaresFit fit, int used)
    {
        var degreesOfFreedom = used - fit.Parameters;
        var residualVariance = degreesOfFreedom > 0 ? fit.WeightedSquares / degreesOfFreedom : 0.0;
        var floorSigma = Options.TimingSigmaSeconds * problem.SpeedOfSound;
        var variance = Math.Max(residualVariance, floorSigma * floorSigma);
        var covariance = SmallMatrix.TryInvert(fit.Information);
        if (covariance is null)
        {
            return double.PositiveInfinity;
        }

        var drms = Math.Sqrt(variance * (covariance[0, 0] + covariance[1, 1]));
        return Math.Max(Math.Sqrt(drms * drms + Options.SystematicErrorMeters * Options.SystematicErrorMeters), Options.MinimumUncertaintyMeters);
    }
}
