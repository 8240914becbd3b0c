namespace SafeCities.Modules.Intelligence.Analysis.NearRepeat;

/// <summary>One event for the Knox test: projected coordinates in metres and a whole day number.</summary>
internal readonly record struct KnoxEvent(double X, double Y, int Day);

/// <summary>
/// The Near Repeat Calculator's settings: <paramref name="SpatialBands"/> bands of <paramref name="SpatialBandwidth"/> metres (plus "same
/// location" and "beyond"), <paramref name="TemporalBands"/> bands of <paramref name="TemporalBandwidth"/> days (plus "beyond"),
/// <paramref name="Permutations"/> Monte-Carlo shuffles of the days; <paramref name="Seed"/> makes a run repeatable.
/// </summary>
internal sealed record KnoxSettings(double SpatialBandwidth, int SpatialBands, int TemporalBandwidth, int TemporalBands, int Permutations,
    int? Seed = null)
{
    public const int MaxEvents = 2_000;
    public const int MaxPermutations = 999;
    public const int MaxBands = 10;
}

/// <summary>Rows are distance bands (0 = same location, last = beyond), columns are day bands (last = beyond).</summary>
internal sealed record KnoxResult(KnoxSettings Settings, int Events, long Pairs, int[,] Observed, double[,] MeanExpected, double[,] PValue)
{
    public int Rows => Observed.GetLength(0);
    public int Columns => Observed.GetLength(1);

    /// <summary>Observed over mean expected; null where nothing was expected (the calculator leaves such cells blank).</summary>
    public double? Ratio(int row, int column) =>
        MeanExpected[row, column] > 0 ? Observed[row, column] / MeanExpected[row, column] : null;

    /// <summary>The smallest p-value the permutations can give (1 / (permutations + 1)).</summary>
    public double BestP => 1.0 / (Settings.Permutations + 1);
}

/// <summary>
/// The Knox test as Ratcliffe's Near Repeat Calculator 1.3 computes it (ADR 0022), reproducing its observed-frequency tables exactly:
/// Manhattan distance between coordinates held in single precision (as the calculator holds them: a pair 399.96 m apart in double
/// precision is 400.0 m apart there); "same location" is a distance of exactly 0; the other bands are half-open, (0, b), [b, 2b), …,
/// [nb, ∞) metres and [0, t), [t, 2t), …, [mt, ∞) whole days. Every unordered pair counts once. The expected table is the mean over
/// permutations of the days among the events (locations fixed); p = (1 + permutations with a count ≥ observed) / (permutations + 1).
/// </summary>
internal static class KnoxTest
{
    public static KnoxResult Run(IReadOnlyList<KnoxEvent> events, KnoxSettings settings, IProgress<double>? progress = null,
        CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(events.Count, KnoxSettings.MaxEvents);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(settings.Permutations, KnoxSettings.MaxPermutations);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Permutations, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(settings.SpatialBandwidth, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.TemporalBandwidth, 1);

        var n = events.Count;
        var rows = settings.SpatialBands + 2;
        var columns = settings.TemporalBands + 1;
        var xs = new float[n];
        var ys = new float[n];
        var days = new int[n];
        for (var i = 0; i < n; i++)
            (xs[i], ys[i], days[i]) = ((float)events[i].X, (float)events[i].Y, events[i].Day);

        // The distance band of every pair never changes between permutations: compute it once.
        var pairs = (long)n * (n - 1) / 2;
        var band = new byte[pairs];
        long p = 0;
        for (var i = 0; i < n; i++)
        for (var j = i + 1; j < n; j++)
            band[p++] = SpatialBand((double)Math.Abs(xs[i] - xs[j]) + Math.Abs(ys[i] - ys[j]), settings);

        var observed = Count(band, days, n, rows, columns, settings.TemporalBandwidth);
        var sum = new double[rows, columns];
        var atLeast = new int[rows, columns];
        var random = settings.Seed is { } seed ? new Random(seed) : new Random();
        var shuffled = (int[])days.Clone();
        for (var k = 0; k < settings.Permutations; k++)
        {
            ct.ThrowIfCancellationRequested();
            random.Shuffle(shuffled);
            var expected = Count(band, shuffled, n, rows, columns, settings.TemporalBandwidth);
            for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
            {
                sum[r, c] += expected[r, c];
                if (expected[r, c] >= observed[r, c])
                    atLeast[r, c]++;
            }
            progress?.Report((k + 1) / (double)settings.Permutations);
        }

        var mean = new double[rows, columns];
        var pValue = new double[rows, columns];
        for (var r = 0; r < rows; r++)
        for (var c = 0; c < columns; c++)
        {
            mean[r, c] = sum[r, c] / settings.Permutations;
            pValue[r, c] = (1.0 + atLeast[r, c]) / (settings.Permutations + 1);
        }
        return new KnoxResult(settings, n, pairs, observed, mean, pValue);
    }

    /// <summary>0 = same location (exactly 0 m), 1 = (0, b), k + 1 = [kb, (k+1)b), last = [nb, ∞).</summary>
    public static byte SpatialBand(double meters, KnoxSettings settings)
    {
        if (meters == 0)
            return 0;
        var k = (int)Math.Min(Math.Floor(meters / settings.SpatialBandwidth), settings.SpatialBands);
        return (byte)(k + 1);
    }

    public static int TemporalBand(int days, KnoxSettings settings) => Math.Min(days / settings.TemporalBandwidth, settings.TemporalBands);

    private static int[,] Count(byte[] band, int[] days, int n, int rows, int columns, int bandwidth)
    {
        var counts = new int[rows * columns];
        var last = columns - 1;
        long p = 0;
        for (var i = 0; i < n; i++)
        {
            var di = days[i];
            for (var j = i + 1; j < n; j++)
            {
                var c = Math.Min(Math.Abs(di - days[j]) / bandwidth, last);
                counts[band[p++] * columns + c]++;
            }
        }
        var table = new int[rows, columns];
        Buffer.BlockCopy(counts, 0, table, 0, counts.Length * sizeof(int));
        return table;
    }
}
