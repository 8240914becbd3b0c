namespace SafeCities.Modules.Intelligence.Analysis.Hotspots;

/// <summary>
/// Settings of the self-exciting point process. Pairs further apart than <see cref="MaxTriggerMeters"/> on either axis or
/// <see cref="MaxTriggerDays"/> in time are not considered parent and child (the truncation that keeps EM linear in the events);
/// σ never falls below <see cref="MinSigmaMeters"/> (geocoding puts repeats on the very same point, which would otherwise collapse σ to 0).
/// </summary>
internal sealed record SeppOptions(
    double TrainingDays = 365,
    double MaxTriggerDays = 60,
    double MaxTriggerMeters = 500,
    double BackgroundBandwidthMeters = 300,
    int Iterations = 30,
    double MinSigmaMeters = 5,
    double InitialTheta = 0.5,
    double InitialOmegaPerDay = 0.1,
    double InitialSigmaMeters = 100);

/// <summary>A fitted process: triggering θ·ω·e^(−ωt)·N(σx, σy) and the background rate per cell (events per m² per day).</summary>
internal sealed record SeppFit(double Theta, double OmegaPerDay, double SigmaX, double SigmaY, double[] BackgroundRate, int Events, int Pairs);

/// <summary>
/// The self-exciting point process of Mohler et al. (2011, 2015), ETAS/Hawkes form: λ(t, x, y) = μ(x, y) + Σ_{tᵢ &lt; t} θ ω e^(−ω(t − tᵢ))
/// N(x − xᵢ; σx) N(y − yᵢ; σy), fitted by expectation–maximisation on the training events only (the trailing
/// <see cref="SeppOptions.TrainingDays"/> before the forecast). The background μ is the kernel density of the events weighted by their
/// probability of being background, binned on the grid (<see cref="PlaneGrid.Smooth"/>). The forecast per cell is the expected number of
/// events in the window: background × horizon plus what the recent events are expected to trigger in it.
/// </summary>
internal sealed class SeppModel(string name, SeppOptions options) : IHotspotModel
{
    public string Name => name;

    public SeppOptions Options => options;

    public CellForecast Forecast(EventSet events, double fromDay, double horizonDays)
    {
        var fit = Fit(events, fromDay);
        var grid = events.Grid;
        var background = new double[grid.CellCount];
        for (var c = 0; c < background.Length; c++)
            background[c] = fit.BackgroundRate[c] * grid.CellArea * horizonDays;
        var triggered = new double[grid.CellCount];
        var hi = events.CountBefore(fromDay);
        for (var i = events.CountBefore(fromDay - options.MaxTriggerDays); i < hi; i++)
        {
            var age = fromDay - events.Days[i];
            var expected = fit.Theta * (Math.Exp(-fit.OmegaPerDay * age) - Math.Exp(-fit.OmegaPerDay * (age + horizonDays)));
            if (expected > 1e-12)
                grid.AddGaussian(triggered, events.X[i], events.Y[i], fit.SigmaX, fit.SigmaY, expected);
        }
        var score = new double[grid.CellCount];
        for (var c = 0; c < score.Length; c++)
            score[c] = background[c] + triggered[c];
        return new CellForecast(score, background, triggered);
    }

    /// <summary>EM on the in-grid events of [fromDay − TrainingDays, fromDay).</summary>
    public SeppFit Fit(EventSet events, double fromDay)
    {
        var grid = events.Grid;
        var lo = events.CountBefore(fromDay - options.TrainingDays);
        var hi = events.CountBefore(fromDay);
        var picked = Enumerable.Range(lo, hi - lo).Where(i => events.Cells[i] >= 0).ToArray();
        var n = picked.Length;
        if (n == 0)
            return new SeppFit(0, options.InitialOmegaPerDay, options.InitialSigmaMeters, options.InitialSigmaMeters, new double[grid.CellCount], 0, 0);
        var t = picked.Select(i => events.Days[i]).ToArray();
        var x = picked.Select(i => events.X[i]).ToArray();
        var y = picked.Select(i => events.Y[i]).ToArray();
        var cell = picked.Select(i => events.Cells[i]).ToArray();
        var span = Math.Max(1e-6, fromDay - Math.Max(fromDay - options.TrainingDays, t[0]));
        var (start, dt, dx, dy) = CandidatePairs(t, x, y);

        double theta = options.InitialTheta, omega = options.InitialOmegaPerDay, sx = options.InitialSigmaMeters, sy = options.InitialSigmaMeters;
        var pBackground = new double[n];
        Array.Fill(pBackground, 1 - theta);
        var rate = BackgroundRate(grid, cell, pBackground, span);
        var p = new double[dt.Length];
        for (var iteration = 0; iteration < options.Iterations; iteration++)
        {
            // E-step: the probability that each event is background or the child of each earlier candidate.
            var norm = theta * omega / (2 * Math.PI * sx * sy);
            double s = 0, sdt = 0, sxx = 0, syy = 0;
            for (var j = 0; j < n; j++)
            {
                var b = rate[cell[j]];
                var total = b;
                for (var k = start[j]; k < start[j + 1]; k++)
                {
                    var g = norm * Math.Exp(-omega * dt[k] - dx[k] * dx[k] / (2 * sx * sx) - dy[k] * dy[k] / (2 * sy * sy));
                    p[k] = g;
                    total += g;
                }
                if (total <= 0)
                {
                    pBackground[j] = 1;
                    for (var k = start[j]; k < start[j + 1]; k++)
                        p[k] = 0;
                    continue;
                }
                pBackground[j] = b / total;
                for (var k = start[j]; k < start[j + 1]; k++)
                {
                    var q = p[k] / total;
                    p[k] = q;
                    s += q;
                    sdt += q * dt[k];
                    sxx += q * dx[k] * dx[k];
                    syy += q * dy[k] * dy[k];
                }
            }
            // M-step: closed forms; θ corrected for the children the last events have not had time to produce yet.
            if (s > 1e-9)
            {
                omega = sdt > 1e-12 ? Math.Min(s / sdt, 1e4) : 1e4;
                sx = Math.Max(options.MinSigmaMeters, Math.Sqrt(sxx / s));
                sy = Math.Max(options.MinSigmaMeters, Math.Sqrt(syy / s));
                double exposure = 0;
                for (var i = 0; i < n; i++)
                    exposure += 1 - Math.Exp(-omega * (fromDay - t[i]));
                theta = Math.Min(0.99, s / Math.Max(exposure, 1e-9));
            }
            else
                theta = 0;
            rate = BackgroundRate(grid, cell, pBackground, span);
        }
        return new SeppFit(theta, omega, sx, sy, rate, n, dt.Length);
    }

    private double[] BackgroundRate(PlaneGrid grid, int[] cell, double[] pBackground, double span)
    {
        var amounts = new double[grid.CellCount];
        for (var j = 0; j < cell.Length; j++)
            amounts[cell[j]] += pBackground[j];
        var rate = grid.Smooth(amounts, options.BackgroundBandwidthMeters);
        var scale = 1 / (span * grid.CellArea);
        for (var c = 0; c < rate.Length; c++)
            rate[c] *= scale;
        return rate;
    }

    /// <summary>Every (earlier, later) pair within the truncation, grouped by the later event (pairs of event j: start[j] .. start[j+1]).</summary>
    private (int[] Start, double[] Dt, double[] Dx, double[] Dy) CandidatePairs(double[] t, double[] x, double[] y)
    {
        var d = options.MaxTriggerMeters;
        var buckets = new Dictionary<(long, long), List<int>>();
        var start = new int[t.Length + 1];
        List<double> dts = [], dxs = [], dys = [];
        for (var j = 0; j < t.Length; j++)
        {
            start[j] = dts.Count;
            var bx = (long)Math.Floor(x[j] / d);
            var by = (long)Math.Floor(y[j] / d);
            for (var ox = -1; ox <= 1; ox++)
                for (var oy = -1; oy <= 1; oy++)
                {
                    if (!buckets.TryGetValue((bx + ox, by + oy), out var list))
                        continue;
                    // The list holds earlier events in time order: start at the first one inside the time cut-off.
                    int a = 0, b = list.Count;
                    while (a < b)
                    {
                        var mid = (a + b) >>> 1;
                        if (t[j] - t[list[mid]] > options.MaxTriggerDays)
                            a = mid + 1;
                        else
                            b = mid;
                    }
                    for (var k = a; k < list.Count; k++)
                    {
                        var i = list[k];
                        var ddx = x[j] - x[i];
                        var ddy = y[j] - y[i];
                        if (Math.Abs(ddx) > d || Math.Abs(ddy) > d)
                            continue;
                        dts.Add(t[j] - t[i]);
                        dxs.Add(ddx);
                        dys.Add(ddy);
                    }
                }
            if (!buckets.TryGetValue((bx, by), out var own))
                buckets[(bx, by)] = own = [];
            own.Add(j);
        }
        start[t.Length] = dts.Count;
        return (start, [.. dts], [.. dxs], [.. dys]);
    }
}
