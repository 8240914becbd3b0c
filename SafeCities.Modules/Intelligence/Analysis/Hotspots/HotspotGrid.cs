using SafeCities.Modules.Shared.Statistics;
using System.Globalization;

namespace SafeCities.Modules.Intelligence.Analysis.Hotspots;

/// <summary>
/// A square grid in metres (cell 0 at the south-west corner, row-major from west to east): <see cref="MinX"/>/<see cref="MinY"/> are the
/// plane coordinates of its south-west corner. The estimators work in this plane only; <see cref="HotspotMap"/> ties it to latitude/longitude.
/// </summary>
internal sealed record PlaneGrid(double MinX, double MinY, int Columns, int Rows, double CellMeters)
{
    public int CellCount => Columns * Rows;

    public double CellArea => CellMeters * CellMeters;

    /// <summary>The cell holding a plane point, or -1 outside the grid.</summary>
    public int CellAt(double x, double y)
    {
        var col = (int)Math.Floor((x - MinX) / CellMeters);
        var row = (int)Math.Floor((y - MinY) / CellMeters);
        return col < 0 || row < 0 || col >= Columns || row >= Rows ? -1 : row * Columns + col;
    }

    public (double X, double Y) Centre(int cell) => (MinX + (cell % Columns + 0.5) * CellMeters, MinY + (cell / Columns + 0.5) * CellMeters);

    /// <summary>
    /// Convolves per-cell amounts with a Gaussian of <paramref name="sigma"/> metres (separable; each cell's amount taken at its centre, the
    /// kernel integrated over the cells, mass leaving the grid dropped): the binned, fast form of a kernel density for many events.
    /// </summary>
    public double[] Smooth(double[] amounts, double sigma)
    {
        var reach = (int)Math.Ceiling(4 * sigma / CellMeters);
        var kernel = new double[2 * reach + 1];
        for (var d = -reach; d <= reach; d++)
            kernel[d + reach] = Normal.Cdf((d + 0.5) * CellMeters / sigma) - Normal.Cdf((d - 0.5) * CellMeters / sigma);
        var rows = new double[amounts.Length];
        for (var r = 0; r < Rows; r++)
            for (var c = 0; c < Columns; c++)
            {
                var a = amounts[r * Columns + c];
                if (a == 0)
                    continue;
                for (var d = Math.Max(-reach, -c); d <= Math.Min(reach, Columns - 1 - c); d++)
                    rows[r * Columns + c + d] += a * kernel[d + reach];
            }
        var result = new double[amounts.Length];
        for (var r = 0; r < Rows; r++)
            for (var c = 0; c < Columns; c++)
            {
                var a = rows[r * Columns + c];
                if (a == 0)
                    continue;
                for (var d = Math.Max(-reach, -r); d <= Math.Min(reach, Rows - 1 - r); d++)
                    result[(r + d) * Columns + c] += a * kernel[d + reach];
            }
        return result;
    }

    /// <summary>
    /// Adds <paramref name="weight"/> × the probability mass that an axis-aligned Gaussian at (x, y) puts in each cell (integrated exactly per
    /// axis, cut at 4σ), so a kernel narrower than a cell still lands in the right cell and the masses over a large grid sum to the weight.
    /// </summary>
    public void AddGaussian(double[] target, double x, double y, double sigmaX, double sigmaY, double weight)
    {
        var c0 = Math.Max(0, (int)Math.Floor((x - 4 * sigmaX - MinX) / CellMeters));
        var c1 = Math.Min(Columns - 1, (int)Math.Floor((x + 4 * sigmaX - MinX) / CellMeters));
        var r0 = Math.Max(0, (int)Math.Floor((y - 4 * sigmaY - MinY) / CellMeters));
        var r1 = Math.Min(Rows - 1, (int)Math.Floor((y + 4 * sigmaY - MinY) / CellMeters));
        if (c0 > c1 || r0 > r1)
            return;
        Span<double> mx = c1 - c0 < 256 ? stackalloc double[c1 - c0 + 1] : new double[c1 - c0 + 1];
        for (var c = c0; c <= c1; c++)
            mx[c - c0] = Normal.Cdf((MinX + (c + 1) * CellMeters - x) / sigmaX) - Normal.Cdf((MinX + c * CellMeters - x) / sigmaX);
        for (var r = r0; r <= r1; r++)
        {
            var my = weight * (Normal.Cdf((MinY + (r + 1) * CellMeters - y) / sigmaY) - Normal.Cdf((MinY + r * CellMeters - y) / sigmaY));
            if (my == 0)
                continue;
            var offset = r * Columns;
            for (var c = c0; c <= c1; c++)
                target[offset + c] += my * mx[c - c0];
        }
    }
}

/// <summary>
/// The grid over a city: a bounding box in degrees cut into square cells of <c>cellMeters</c> on a local equirectangular projection
/// (x east, y north, metres from the box's south-west corner, scaled by the cosine of the box's middle latitude). Over a city (tens of km)
/// the projection's distance error is well under 1 %.
/// </summary>
internal sealed class HotspotMap
{
    private const double MetresPerDegree = Math.PI * Shared.Geo.GeoMath.EarthRadiusMeters / 180;
    private readonly double cosLat;

    public HotspotMap(double south, double west, double north, double east, double cellMeters)
    {
        if (!(north > south) || !(east > west) || !(cellMeters > 0))
            throw new ArgumentException("The box needs north > south, east > west and a positive cell size.");
        (South, West, North, East, CellMeters) = (south, west, north, east, cellMeters);
        Centre = ((south + north) / 2, (west + east) / 2);
        cosLat = Math.Cos((south + north) / 2 * Math.PI / 180);
        var width = (east - west) * MetresPerDegree * cosLat;
        var height = (north - south) * MetresPerDegree;
        Plane = new PlaneGrid(0, 0, Math.Max(1, (int)Math.Ceiling(width / cellMeters)), Math.Max(1, (int)Math.Ceiling(height / cellMeters)), cellMeters);
    }

    public double South { get; }
    public double West { get; }
    public double North { get; }
    public double East { get; }
    public double CellMeters { get; }
    public PlaneGrid Plane { get; }

    /// <summary>
    /// How far from the points' median place a point may lie and still be in the city: a metropolitan extract spans tens of kilometres,
    /// while a record geocoded to 0°, 0° (the usual "not geocoded" placeholder) or to a namesake street in another state lies hundreds or
    /// thousands away — and would stretch the grid over an ocean (one such point made a 150 m grid of 1.5 billion cells over New York).
    /// </summary>
    public const double MaxCityRadiusMeters = 100_000;

    /// <summary>The most cells a grid may have (a forecast holds a few arrays of this many numbers per model).</summary>
    public const int MaxCells = 4_000_000;

    /// <summary>
    /// The smallest grid over the points within <see cref="MaxCityRadiusMeters"/> of their median place (latitude and longitude medians),
    /// padded by <paramref name="padMeters"/> on every side; points farther away are not in the city (<see cref="InCity"/>). Throws
    /// <see cref="ArgumentException"/>, saying so, when the city would need more than <see cref="MaxCells"/>.
    /// </summary>
    public static HotspotMap Around(IEnumerable<(double Latitude, double Longitude)> points, double cellMeters, double padMeters = 500)
    {
        var all = points.ToList();
        if (all.Count == 0)
            throw new ArgumentException("No points to put a grid around.");
        var medianLat = Median.Of(all.Select(p => p.Latitude));
        var medianLon = Median.Of(all.Select(p => p.Longitude));
        double s = double.MaxValue, w = double.MaxValue, n = double.MinValue, e = double.MinValue;
        foreach (var (lat, lon) in all)
            if (Shared.Geo.GeoMath.DistanceMeters(lat, lon, medianLat, medianLon) <= MaxCityRadiusMeters)
                (s, w, n, e) = (Math.Min(s, lat), Math.Min(w, lon), Math.Max(n, lat), Math.Max(e, lon));
        var padLat = padMeters / MetresPerDegree;
        var padLon = padMeters / (MetresPerDegree * Math.Cos((s + n) / 2 * Math.PI / 180));
        var map = new HotspotMap(s - padLat, w - padLon, n + padLat, e + padLon, cellMeters) { Centre = (medianLat, medianLon) };
        var (columns, rows) = (map.Plane.Columns, map.Plane.Rows);   // the plane holds its size only: nothing is allocated per cell yet
        if ((long)columns * rows > MaxCells)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The events span {columns * cellMeters / 1000:0} km × {rows * cellMeters / 1000:0} km: about {(long)columns * rows:N0} cells of " +
                $"{cellMeters:0} m, more than the {MaxCells:N0} a forecast can hold; choose larger cells."));
        return map;
    }

    /// <summary>The median place of the points a grid was made <see cref="Around"/> (its own centre otherwise).</summary>
    public (double Latitude, double Longitude) Centre { get; private init; }

    /// <summary>
    /// Whether a point belongs to the city the grid was made for: within <see cref="MaxCityRadiusMeters"/> of <see cref="Centre"/>. A point
    /// of the city may still lie off the grid (a later event beyond the earlier ones); a point outside the city is a bad geocode.
    /// </summary>
    public bool InCity(double latitude, double longitude) =>
        Shared.Geo.GeoMath.DistanceMeters(latitude, longitude, Centre.Latitude, Centre.Longitude) <= MaxCityRadiusMeters;

    public (double X, double Y) Project(double latitude, double longitude) =>
        ((longitude - West) * MetresPerDegree * cosLat, (latitude - South) * MetresPerDegree);

    public (double Latitude, double Longitude) Unproject(double x, double y) => (South + y / MetresPerDegree, West + x / (MetresPerDegree * cosLat));

    /// <summary>A cell's south-west and north-east corners in degrees.</summary>
    public (double South, double West, double North, double East) Bounds(int cell)
    {
        var (cx, cy) = Plane.Centre(cell);
        var half = CellMeters / 2;
        var (s, w) = Unproject(cx - half, cy - half);
        var (n, e) = Unproject(cx + half, cy + half);
        return (s, w, n, e);
    }
}

/// <summary>The standard normal distribution function (erfc after Numerical Recipes' Chebyshev fit, relative error below 1.2e-7).</summary>
internal static class Normal
{
    public static double Cdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    private static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + 0.5 * z);
        var r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807
            + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
