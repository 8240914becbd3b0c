using Npgsql;
using NpgsqlTypes;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Purposes;

namespace SafeCities.Modules.Plates.Features;

internal sealed class ColocationCommandValidator : AbstractValidator<ColocationCommand>
{
    public ColocationCommandValidator(TimeProvider clock, IOptions<PlatesOptions> options, PurposePolicy purposes)
    {
        Include(new StatedPurposeValidator(purposes));
        RuleFor(c => c.Incidents).Cascade(CascadeMode.Stop).NotNull().Must(i => i!.Count is >= 2 and <= 20)
            .WithMessage("'incidents' must hold 2 to 20 places and times.");
        RuleForEach(c => c.Incidents).ChildRules(i =>
        {
            i.RuleFor(x => x.Latitude).NotNull().InclusiveBetween(-90, 90);
            i.RuleFor(x => x.Longitude).NotNull().InclusiveBetween(-180, 180);
            // A place and time where something happened: not in the future (beyond a clock's skew).
            i.RuleFor(x => x.OccurredAt).NotNull()
                .Must(at => at <= clock.GetUtcNow().AddSeconds(options.Value.MaxClockSkewSeconds)).WithMessage("'occurredAt' is in the future.");
        }).When(c => c.Incidents is not null);
        RuleFor(c => c.RadiusMeters).InclusiveBetween(10, 5000);
        RuleFor(c => c.WindowMinutes).InclusiveBetween(1, 24 * 60);
        RuleFor(c => c.MinIncidents).Must((c, k) => k >= 2 && (c.Incidents is null || k <= c.Incidents.Count))
            .WithMessage("'minIncidents' must be at least 2 and at most the number of incidents.");
        RuleFor(c => c.Limit).InclusiveBetween(1, 500);
    }
}

/// <summary>
/// The "sniper" query in three set-based steps: the reads near each place in its window (range scans on the (reader, capture time)
/// index), the plates seen near at least k places, then each such plate's baseline at the same readers: on how many of the
/// <see cref="BaselineDays"/> days before each place it passed there within ±<see cref="BaselineBandMinutes"/> of the same time of day (its
/// routine). The baseline reads only the candidate plates' own reads of those 28 days (the (plate, capture time) index), not every read
/// of the readers' daily windows: on a busy road (1,000 reads an hour) those windows hold 28,000 reads a reader and place, and reading
/// them made the query cost grow with the road's traffic (ADR 0054).
/// </summary>
internal sealed class ColocationCommandHandler(PlatesDbContext db, TimeProvider clock, AgencyPlateReads agencies, PurposePolicy purposes)
    : ICommandHandler<ColocationCommand, ColocationResultDto>
{
    public const int BaselineDays = 28;
    public const int BaselineBandMinutes = 30;

    // Temp tables are analysed as soon as they are filled (they have no statistics otherwise, and the planner would then scan the whole
    // read table), and every read lookup is a LATERAL range on the (reader_id, captured_at) index (OFFSET 0 keeps the planner from flattening it
    // into one scan of each reader's whole month).
    private const string Steps = """
        CREATE TEMP TABLE IF NOT EXISTS coloc_near (idx int, reader_id uuid, at timestamptz) ON COMMIT DROP;
        INSERT INTO coloc_near
            SELECT t.idx - 1, r.id, t.at
            FROM unnest(@lats, @lons, @ats) WITH ORDINALITY AS t(lat, lon, at, idx)
            JOIN plates.readers r ON ST_DWithin(r.location, ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326)::geography, @radius);
        ANALYZE coloc_near;
        CREATE TEMP TABLE IF NOT EXISTS coloc_seen ON COMMIT DROP AS
            SELECT n.idx, p.id, p.plate, p.region, p.captured_at, p.confidence, p.make, p.model, p.color, p.reader_id, p.latitude, p.longitude
            FROM coloc_near n
            CROSS JOIN LATERAL (
                SELECT * FROM plates.plate_reads p WHERE p.reader_id = n.reader_id AND p.captured_at BETWEEN n.at - @window AND n.at + @window
                OFFSET 0
            ) p;
        CREATE TEMP TABLE IF NOT EXISTS coloc_cand ON COMMIT DROP AS
            SELECT plate, region FROM coloc_seen GROUP BY plate, region HAVING count(DISTINCT idx) >= @k;
        ANALYZE coloc_cand;
        SELECT s.idx, s.id, s.plate, s.region, s.captured_at, s.confidence, s.make, s.model, s.color, s.reader_id, coalesce(r.name, 'reader'),
               s.latitude, s.longitude
        FROM coloc_seen s JOIN coloc_cand c USING (plate, region) LEFT JOIN plates.readers r ON r.id = s.reader_id
        ORDER BY s.captured_at;
        """;

    /// <summary>
    /// The baseline: per candidate plate and place, on how many days d (1 … 28) the plate passed one of the place's readers within ±band
    /// of the place's time d days earlier. Each candidate's reads are one range scan of the (plate, capture time) index over the 28 days
    /// before the earliest place to the day before the latest (every window lies inside it: <c>at − d days</c> only falls as d grows),
    /// then matched to the places' readers and to the days whose window holds them. The same counts as reading every reader's windows
    /// and keeping the candidates' reads (<c>ColocationBaselineTests</c> compares the two).
    /// </summary>
    internal const string Baseline = """
        SELECT c.plate, c.region, n.idx, count(DISTINCT g.d)::int
        FROM coloc_cand c
        CROSS JOIN LATERAL (
            SELECT p.reader_id, p.captured_at FROM plates.plate_reads p
            WHERE p.plate = c.plate AND p.region = c.region
              AND p.captured_at BETWEEN (SELECT min(at) FROM coloc_near) - make_interval(days => @base_days) - @band
                                    AND (SELECT max(at) FROM coloc_near) - make_interval(days => 1) + @band
            OFFSET 0
        ) p
        JOIN coloc_near n ON n.reader_id = p.reader_id
        JOIN generate_series(1, @base_days) AS g(d)
          ON p.captured_at BETWEEN n.at - make_interval(days => g.d) - @band AND n.at - make_interval(days => g.d) + @band
        GROUP BY c.plate, c.region, n.idx;
        """;

    public async ValueTask<ColocationResultDto> Handle(ColocationCommand c, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var places = c.Incidents!;
        var agency = await agencies.CheckAsync(db, c.Actor, c.ViewerAgencyId, "colocation", c.Purpose, now, ct);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            await db.Database.UseTransactionAsync(tx, ct);
            var (sightings, baseline) = await QueryAsync(connection, tx, c, Baseline, ct);
            // Audited last, in the same transaction: the audit chain's lock (ADR 0046) is held from the entry to the commit, so an entry
            // written before a long read would hold up every other audited action in the city for as long as the read takes.
            await db.AuditAsync(c, purposes, "Plates", "colocation", new
            {
                incidents = places, radiusMeters = c.RadiusMeters, windowMinutes = c.WindowMinutes, minIncidents = c.MinIncidents,
            }, now, ct);
            await tx.CommitAsync(ct);
            var ranked = sightings.Select(kv =>
                {
                    var matched = kv.Value.Select(x => x.Idx).Distinct().Order().ToList();
                    var days = matched.Select(i => baseline.GetValueOrDefault((kv.Key.Item1, kv.Key.Item2, i), 1)).ToList();
                    var score = days.Sum(d => Math.Log((BaselineDays + 1.0) / (d + 1.0)));
                    return new ColocationMatchDto(kv.Key.Item1, kv.Key.Item2, Math.Round(score, 3), matched, days, kv.Value.Select(x => x.S).ToList());
                })
                .OrderByDescending(m => m.Score).ThenByDescending(m => m.MatchedIncidents.Count).ThenBy(m => m.Plate, StringComparer.Ordinal)
                .Take(c.Limit).ToList();
            await agencies.LogAsync(agency, ranked.Sum(m => m.Sightings.Count), ct);
            return new ColocationResultDto(ranked, BaselineDays);
        }
        finally
        {
            await db.Database.UseTransactionAsync(null, ct);
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Runs the steps and then <paramref name="baselineSql"/> in <paramref name="tx"/> (its temp tables are dropped at its commit): the
    /// sightings of the plates seen near at least k places, and the baseline days per (plate, region, place).
    /// </summary>
    internal static async Task<(Dictionary<(string Plate, string Region), List<(int Idx, PlateSightingDto S)>> Sightings,
        Dictionary<(string Plate, string Region, int Idx), int> Baseline)> QueryAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        ColocationCommand c, string baselineSql, CancellationToken ct)
    {
        var places = c.Incidents!;
        await using var sql = new NpgsqlCommand(Steps + baselineSql, connection, tx);
        sql.Parameters.AddWithValue("lats", places.Select(p => p.Latitude!.Value).ToArray());
        sql.Parameters.AddWithValue("lons", places.Select(p => p.Longitude!.Value).ToArray());
        sql.Parameters.AddWithValue("ats", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, places.Select(p => p.OccurredAt!.Value.UtcDateTime).ToArray());
        sql.Parameters.AddWithValue("radius", (double)c.RadiusMeters);
        sql.Parameters.AddWithValue("window", TimeSpan.FromMinutes(c.WindowMinutes));
        sql.Parameters.AddWithValue("k", (long)c.MinIncidents);
        sql.Parameters.AddWithValue("base_days", BaselineDays);
        sql.Parameters.AddWithValue("band", TimeSpan.FromMinutes(BaselineBandMinutes));
        var sightings = new Dictionary<(string, string), List<(int Idx, PlateSightingDto S)>>();
        var baseline = new Dictionary<(string, string, int), int>();
        await using (var r = await sql.ExecuteReaderAsync(ct))
        {
            while (r.FieldCount != 13)
                if (!await r.NextResultAsync(ct))
                    break;
            while (await r.ReadAsync(ct))
            {
                var s = new PlateSightingDto(r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetFieldValue<DateTimeOffset>(4), r.GetDouble(5),
                    r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8), r.GetGuid(9),
                    r.GetString(10), r.GetDouble(11), r.GetDouble(12));
                if (!sightings.TryGetValue((s.Plate, s.Region), out var list))
                    sightings[(s.Plate, s.Region)] = list = [];
                list.Add((r.GetInt32(0), s));
            }
            if (await r.NextResultAsync(ct))
                while (await r.ReadAsync(ct))
                    baseline[(r.GetString(0), r.GetString(1), r.GetInt32(2))] = r.GetInt32(3);
        }
        return (sightings, baseline);
    }
}
