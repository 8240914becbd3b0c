using System.Globalization;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Platform.Data;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Modules.Platform.Addresses;

internal sealed class GetStreetMapQueryValidator : AbstractValidator<GetStreetMapQuery>
{
    public const double MaxSpanDegrees = 0.25;

    public GetStreetMapQueryValidator()
    {
        RuleFor(q => q.South).InclusiveBetween(-90, 90);
        RuleFor(q => q.North).InclusiveBetween(-90, 90).GreaterThan(q => q.South).WithMessage("'North' must be north of 'South'.");
        RuleFor(q => q.West).InclusiveBetween(-180, 180);
        RuleFor(q => q.East).InclusiveBetween(-180, 180).GreaterThan(q => q.West).WithMessage("'East' must be east of 'West'.");
        RuleFor(q => q).Must(q => q.North - q.South <= MaxSpanDegrees && q.East - q.West <= MaxSpanDegrees).WithName("Box")
            .WithMessage($"The box may be at most {MaxSpanDegrees.ToString(CultureInfo.InvariantCulture)}° a side: zoom in.");
    }
}

/// <summary>One indexed read of the address points in the box (the location's GiST index), then the lines in memory (ADR 0066).</summary>
internal sealed class GetStreetMapQueryHandler(PlatformDbContext db) : IQueryHandler<GetStreetMapQuery, StreetMapDto>
{
    public const int MaxPoints = 60_000;

    public async ValueTask<StreetMapDto> Handle(GetStreetMapQuery q, CancellationToken cancellationToken)
    {
        // More than the cap: nothing is drawn rather than some streets (which ones would be the plan's choice).
        var points = await db.Database.SqlQuery<StreetPoint>($"""
            SELECT number AS "Number", street AS "Street", place AS "Place", latitude AS "Latitude", longitude AS "Longitude"
            FROM platform.address_points
            WHERE location && ST_MakeEnvelope({q.West}, {q.South}, {q.East}, {q.North}, 4326)::geography
            LIMIT {MaxPoints + 1}
            """).ToListAsync(cancellationToken);
        if (points.Count > MaxPoints)
            return new StreetMapDto(false, [], []);
        var inBox = points.Where(p => p.Latitude >= q.South && p.Latitude <= q.North && p.Longitude >= q.West && p.Longitude <= q.East).ToList();
        return new StreetMapDto(true, StreetLines.Build(inBox),
            inBox.Where(p => p.Place is not null).OrderBy(p => p.Place, StringComparer.Ordinal)
                .Select(p => new MapPlaceDto(p.Place!, p.Latitude, p.Longitude)).ToList());
    }
}

internal sealed record StreetPoint(string? Number, string? Street, string? Place, double Latitude, double Longitude);

/// <summary>
/// A street drawn through its address points: in house-number order (points without a number, and ties, by their position along the
/// street), split where two in a row are more than <see cref="MaxGapMeters"/> apart (a street name used again elsewhere in the city, a
/// park between two parts), each point moved to the middle of it and the next (odd numbers are on one side of a street and even on the
/// other: the line runs between them), and simplified to within <see cref="ToleranceMeters"/> (Douglas–Peucker).
/// </summary>
internal static class StreetLines
{
    public const double MaxGapMeters = 250, ToleranceMeters = 4;

    public static List<StreetLineDto> Build(IEnumerable<StreetPoint> points)
    {
        var lines = new List<StreetLineDto>();
        foreach (var street in points.Where(p => !string.IsNullOrWhiteSpace(p.Street)).GroupBy(p => p.Street!.Trim().ToUpperInvariant())
                     .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var name = street.First().Street!.Trim();
            var list = street.ToList();
            var plane = LocalPlane.Around(list.Select(p => (p.Latitude, p.Longitude)));
            var axis = Axis(list, plane);
            var ordered = list.OrderBy(p => HouseNumber(p.Number) ?? long.MaxValue)
                .ThenBy(p => Along(p, plane, axis)).ToList();
            var run = new List<StreetPoint>();
            foreach (var p in ordered)
            {
                if (run.Count > 0 && GeoMath.DistanceMeters(run[^1].Latitude, run[^1].Longitude, p.Latitude, p.Longitude) > MaxGapMeters)
                {
                    Add(lines, name, run);
                    run = [];
                }
                run.Add(p);
            }
            Add(lines, name, run);
        }
        return lines;
    }

    private static void Add(List<StreetLineDto> lines, string name, List<StreetPoint> run)
    {
        if (run.Count < 2)
            return;
        var middle = new List<double[]>(run.Count + 1) { new[] { run[0].Latitude, run[0].Longitude } };
        for (var i = 1; i < run.Count; i++)
            middle.Add([(run[i - 1].Latitude + run[i].Latitude) / 2, (run[i - 1].Longitude + run[i].Longitude) / 2]);
        middle.Add([run[^1].Latitude, run[^1].Longitude]);
        lines.Add(new StreetLineDto(name, Simplify(middle)));
    }

    /// <summary>The leading digits of a house number ("1200", "1200A", "1200-1204"), or null.</summary>
    internal static long? HouseNumber(string? number)
    {
        if (string.IsNullOrEmpty(number))
            return null;
        var digits = number.TakeWhile(char.IsAsciiDigit).Count();
        return digits is > 0 and <= 12 ? long.Parse(number.AsSpan(0, digits), CultureInfo.InvariantCulture) : null;
    }

    /// <summary>The street's main direction in local metres (x east, y north): its points' principal axis.</summary>
    private static (double X, double Y) Axis(List<StreetPoint> points, LocalPlane plane)
    {
        double sxx = 0, syy = 0, sxy = 0;
        foreach (var p in points)
        {
            var (x, y) = plane.ToLocal(p.Latitude, p.Longitude);
            (sxx, syy, sxy) = (sxx + x * x, syy + y * y, sxy + x * y);
        }
        var angle = 0.5 * Math.Atan2(2 * sxy, sxx - syy);
        return (Math.Cos(angle), Math.Sin(angle));
    }

    private static double Along(StreetPoint p, LocalPlane plane, (double X, double Y) axis)
    {
        var (x, y) = plane.ToLocal(p.Latitude, p.Longitude);
        return x * axis.X + y * axis.Y;
    }

    /// <summary>Douglas–Peucker in local metres: the points that keep the line within the tolerance of the original.</summary>
    internal static List<double[]> Simplify(List<double[]> line)
    {
        if (line.Count <= 2)
            return line;
        var keep = new bool[line.Count];
        (keep[0], keep[^1]) = (true, true);
        var plane = new LocalPlane(line[0][0], line[0][1]);
        var xy = line.Select(p => plane.ToLocal(p[0], p[1])).ToArray();
        var stack = new Stack<(int From, int To)>();
        stack.Push((0, line.Count - 1));
        while (stack.Count > 0)
        {
            var (from, to) = stack.Pop();
            var (farthest, distance) = (-1, ToleranceMeters);
            for (var i = from + 1; i < to; i++)
                if (FromSegment(xy[i], xy[from], xy[to]) is var d && d > distance)
                    (farthest, distance) = (i, d);
            if (farthest < 0)
                continue;
            keep[farthest] = true;
            stack.Push((from, farthest));
            stack.Push((farthest, to));
        }
        return line.Where((_, i) => keep[i]).ToList();
    }

    private static double FromSegment((double X, double Y) p, (double X, double Y) a, (double X, double Y) b)
    {
        var (dx, dy) = (b.X - a.X, b.Y - a.Y);
        var length2 = dx * dx + dy * dy;
        var t = length2 == 0 ? 0 : Math.Clamp(((p.X - a.X) * dx + (p.Y - a.Y) * dy) / length2, 0, 1);
        var (cx, cy) = (a.X + t * dx - p.X, a.Y + t * dy - p.Y);
        return Math.Sqrt(cx * cx + cy * cy);
    }
}
