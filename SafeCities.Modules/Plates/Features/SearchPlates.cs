using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Domain;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Purposes;

namespace SafeCities.Modules.Plates.Features;

internal static class SearchRules
{
    public const int MaxDays = 92;

    /// <summary>"lat lon, lat lon, …" (at least three corners) → WKT polygon (lon lat), closed.</summary>
    public static string? PolygonWkt(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var points = new List<(double Lat, double Lon)>();
        foreach (var corner in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = corner.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || !double.TryParse(parts[0], CultureInfo.InvariantCulture, out var lat) || !double.TryParse(parts[1], CultureInfo.InvariantCulture, out var lon)
                || lat is not (>= -90 and <= 90) || lon is not (>= -180 and <= 180))   // NaN and infinities fail too
                return null;
            points.Add((lat, lon));
        }
        if (points.Count < 3)
            return null;
        if (points[0] != points[^1])
            points.Add(points[0]);
        return "POLYGON((" + string.Join(", ", points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Lon} {p.Lat}"))) + "))";
    }
}

internal sealed class SearchPlateReadsCommandValidator : AbstractValidator<SearchPlateReadsCommand>
{
    public SearchPlateReadsCommandValidator(PurposePolicy purposes)
    {
        Include(new StatedPurposeValidator(purposes));
        RuleFor(c => c.Plate).Must(p => p is null || PlateMatcher.IsValidEntry(p))
            .WithMessage("'plate' must be 1–10 letters, digits, '*' or '?', with at least two letters or digits.");
        RuleFor(c => c).Must(c => c.Plate is not null || c.Latitude is not null || c.Polygon is not null || c.Make is not null || c.Color is not null)
            .WithName("plate").WithMessage("Name a plate, an area, a make or a colour: a search of every read is not allowed.");
        RuleFor(c => c.To).Must((c, to) => (to ?? DateTimeOffset.UtcNow) - (c.From ?? (to ?? DateTimeOffset.UtcNow).AddDays(-30)) <= TimeSpan.FromDays(SearchRules.MaxDays))
            .WithMessage($"The time range is at most {SearchRules.MaxDays} days.");
        RuleFor(c => c.From).Must((c, from) => from is null || c.To is null || from <= c.To).WithMessage("'from' is after 'to'.");
        RuleFor(c => c.Latitude).NotNull().InclusiveBetween(-90, 90).When(c => c.Longitude is not null || c.RadiusMeters is not null);
        RuleFor(c => c.Longitude).NotNull().InclusiveBetween(-180, 180).When(c => c.Latitude is not null || c.RadiusMeters is not null);
        RuleFor(c => c.RadiusMeters).NotNull().InclusiveBetween(1, 50_000).When(c => c.Latitude is not null);
        RuleFor(c => c.Polygon).Must(p => p is null || SearchRules.PolygonWkt(p) is not null)
            .WithMessage("'polygon' must be at least three corners 'lat lon, lat lon, lat lon'.");
        RuleFor(c => c.Limit).InclusiveBetween(1, 5000);
    }
}

/// <summary>Audits first (user, time, case number, offence, purpose, terms) in the same transaction as nothing else: if the audit record cannot be written, nothing is returned.</summary>
internal sealed class SearchPlateReadsCommandHandler(PlatesDbContext db, TimeProvider clock, AgencyPlateReads agencies, PurposePolicy purposes)
    : ICommandHandler<SearchPlateReadsCommand, PlateSearchResultDto>
{
    public async ValueTask<PlateSearchResultDto> Handle(SearchPlateReadsCommand c, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var to = c.To ?? now;
        var from = c.From ?? to.AddDays(-30);
        var plate = PlateNumber.Normalize(c.Plate);
        var agency = await agencies.CheckAsync(db, c.Actor, c.ViewerAgencyId, "search", c.Purpose, now, ct);
        await db.AuditAsync(c, purposes, "Plates", "search", new
        {
            plate, tolerant = c.Tolerant, region = c.Region, from, to, latitude = c.Latitude, longitude = c.Longitude, radiusMeters = c.RadiusMeters,
            polygon = c.Polygon, make = c.Make, color = c.Color,
        }, now, ct);

        var where = new StringBuilder("p.captured_at >= @from AND p.captured_at <= @to");
        await using var sql = new NpgsqlCommand();
        sql.Parameters.AddWithValue("from", from);
        sql.Parameters.AddWithValue("to", to);
        if (plate is not null)
        {
            var wildcard = PlateMatcher.IsWildcard(plate);
            var value = c.Tolerant ? PlateMatcher.Fold(plate) : plate;
            var column = c.Tolerant ? "translate(p.plate, 'OIBSZ', '01852')" : "p.plate";
            where.Append(wildcard ? $" AND {column} LIKE @plate" : $" AND {column} = @plate");
            sql.Parameters.AddWithValue("plate", wildcard ? PlateMatcher.ToLike(value) : value);
        }
        if (!string.IsNullOrWhiteSpace(c.Region))
        {
            where.Append(" AND p.region = @region");
            sql.Parameters.AddWithValue("region", c.Region.Trim().ToUpperInvariant());
        }
        if (c.Latitude is { } lat && c.Longitude is { } lon && c.RadiusMeters is { } radius)
        {
            where.Append(" AND p.reader_id IN (SELECT id FROM plates.readers WHERE ST_DWithin(location, ST_SetSRID(ST_MakePoint(@lon, @lat), 4326)::geography, @radius))");
            sql.Parameters.AddWithValue("lat", lat);
            sql.Parameters.AddWithValue("lon", lon);
            sql.Parameters.AddWithValue("radius", (double)radius);
        }
        if (SearchRules.PolygonWkt(c.Polygon) is { } wkt)
        {
            where.Append(" AND p.reader_id IN (SELECT id FROM plates.readers WHERE ST_Covers(ST_GeogFromText('SRID=4326;' || @wkt), location))");
            sql.Parameters.AddWithValue("wkt", wkt);
        }
        if (!string.IsNullOrWhiteSpace(c.Make))
        {
            where.Append(" AND lower(p.make) = lower(@make)");
            sql.Parameters.AddWithValue("make", c.Make.Trim());
        }
        if (!string.IsNullOrWhiteSpace(c.Color))
        {
            where.Append(" AND lower(p.color) = lower(@color)");
            sql.Parameters.AddWithValue("color", c.Color.Trim());
        }
        sql.Parameters.AddWithValue("limit", c.Limit + 1);
        sql.CommandText = $"""
            SELECT p.id, p.plate, p.region, p.captured_at, p.confidence, p.make, p.model, p.color, p.reader_id, coalesce(r.name, 'reader'), p.latitude, p.longitude,
                   (SELECT i.image_ref FROM plates.plate_images i WHERE i.reader_id = p.reader_id AND i.image_ref = p.image_ref)
            FROM plates.plate_reads p LEFT JOIN plates.readers r ON r.id = p.reader_id
            WHERE {where}
            ORDER BY p.captured_at DESC
            LIMIT @limit
            """;
        var sightings = await SightingReader.ReadAsync(db, sql, ct);
        var truncated = sightings.Count > c.Limit;
        if (truncated)
            sightings.RemoveAt(sightings.Count - 1);
        await agencies.LogAsync(agency, sightings.Count, ct);
        var vehicles = sightings.GroupBy(s => (s.Plate, s.Region))
            .Select(g => new PlateVehicleDto(g.Key.Plate, g.Key.Region, g.Count(), g.Min(s => s.CapturedAt), g.Max(s => s.CapturedAt),
                g.OrderBy(s => s.CapturedAt).ToList()))
            .OrderByDescending(v => v.LastSeen).ToList();
        return new PlateSearchResultDto(vehicles, sightings.Count, truncated);
    }
}

internal static class SightingReader
{
    public static async Task<List<PlateSightingDto>> ReadAsync(PlatesDbContext db, NpgsqlCommand sql, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            sql.Connection = connection;
            await using var r = await sql.ExecuteReaderAsync(ct);
            var list = new List<PlateSightingDto>();
            while (await r.ReadAsync(ct))
                list.Add(new PlateSightingDto(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3), r.GetDouble(4),
                    r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.GetGuid(8),
                    r.GetString(9), r.GetDouble(10), r.GetDouble(11),
                    r.FieldCount > 12 && !r.IsDBNull(12) ? PlateImage.UrlOf(r.GetGuid(8), r.GetString(12)) : null));
            return list;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
