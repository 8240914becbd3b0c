using Microsoft.EntityFrameworkCore;
using Npgsql;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Features;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Tests.Integration.Plates;

/// <summary>
/// ADR 0054: the co-location baseline reads the candidate plates' own reads (the (plate, capture time) index) instead of every read in
/// the readers' daily windows. On a fixed data set — places sharing a reader, routine passes on and just outside the ±30 min band, on
/// day 28 and day 29, at the wrong reader, plates that are not candidates — both forms give the same sightings and the same baseline
/// days for every (plate, place).
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ColocationBaselineTests(AppFixture app)
{
    /// <summary>The baseline as it was before ADR 0054 (every read of each reader's daily windows, then the candidates kept): the reference.</summary>
    private const string BaselineBefore = """
        SELECT p.plate, p.region, w.idx, count(DISTINCT w.d)::int
        FROM (SELECT DISTINCT n.idx, n.reader_id, g.d, n.at - make_interval(days => g.d) AS day_at
              FROM coloc_near n CROSS JOIN generate_series(1, @base_days) AS g(d)) w
        CROSS JOIN LATERAL (
            SELECT p.plate, p.region FROM plates.plate_reads p
            WHERE p.reader_id = w.reader_id AND p.captured_at BETWEEN w.day_at - @band AND w.day_at + @band
            OFFSET 0
        ) p
        WHERE EXISTS (SELECT 1 FROM coloc_cand c WHERE c.plate = p.plate AND c.region = p.region)
        GROUP BY p.plate, p.region, w.idx;
        """;

    [Fact]
    public async Task The_baseline_from_the_candidates_reads_equals_the_baseline_from_the_readers_windows()
    {
        var (lat, lon) = Api.Place();
        var now = DateTimeOffset.UtcNow;
        var readers = new List<string>();
        for (var i = 0; i < 3; i++)
            readers.Add((await app.RegisterReaderAsync(lat, lon, 1000 * i, 90)).Key);
        // Five places at three readers (places 0 and 3 share reader 0, places 1 and 4 reader 1), at times that are not whole hours.
        var atReader = new[] { 0, 1, 2, 0, 1 };
        var incidents = new[] { now.AddMinutes(-127), now.AddDays(-1).AddMinutes(-191), now.AddDays(-2).AddMinutes(-13), now.AddMinutes(-203), now.AddDays(-1).AddMinutes(-61) }
            .Select((at, i) =>
            {
                var (pLat, pLon) = GeoMath.Offset(lat, lon, 1000 * atReader[i] + 40, 90);
                return (Lat: pLat, Lon: pLon, At: at);
            }).ToList();

        var rnd = new Random(20261204);
        var reads = readers.Select(_ => new List<object>()).ToList();
        var serial = 0;
        void Read(int reader, string plate, DateTimeOffset at) => reads[reader].Add(PlatesKit.Read($"b{serial++}", plate, at));
        var suffix = Guid.NewGuid().ToString("N")[..4].ToUpperInvariant();
        var vehicles = Enumerable.Range(0, 8).Select(v => $"CB{v}{suffix}").ToList();
        for (var v = 0; v < vehicles.Count; v++)
        {
            // Near 3 to 5 of the places within ±15 min: candidates (k = 3); vehicle 7 near only 2: not a candidate.
            var near = v == 7 ? 2 : 3 + v % 3;
            for (var i = 0; i < near; i++)
                Read(atReader[(i + v) % 5], vehicles[v], incidents[(i + v) % 5].At.AddMinutes(rnd.Next(-14, 15)));
            // Routine passes on days 1 … 29 before each place: inside the band, on its edges, just outside, at another reader.
            for (var i = 0; i < 5; i++)
                for (var d = 1; d <= 29; d++)
                {
                    if (rnd.Next(3) == 0)
                        continue;
                    var dayAt = incidents[i].At.AddDays(-d);
                    var offset = rnd.Next(6) switch
                    {
                        0 => TimeSpan.FromMinutes(30),
                        1 => TimeSpan.FromMinutes(-30),
                        2 => TimeSpan.FromMinutes(31),
                        3 => TimeSpan.FromMinutes(-30.5),
                        _ => TimeSpan.FromMinutes(rnd.Next(-29, 30)),
                    };
                    if (dayAt + offset < now.AddDays(-29.9))
                        continue;   // beyond the reads' retention: the API refuses them
                    Read(rnd.Next(4) == 0 ? (atReader[i] + 1) % 3 : atReader[i], vehicles[v], dayAt + offset);
                }
        }
        // Background traffic in the windows and the baseline bands, of plates that are never candidates.
        for (var n = 0; n < 600; n++)
        {
            var i = rnd.Next(5);
            Read(atReader[i], $"BG{n}{suffix}", incidents[i].At.AddDays(-rnd.Next(0, 28)).AddMinutes(rnd.Next(-40, 41)));
        }
        for (var r = 0; r < readers.Count; r++)
            foreach (var batch in reads[r].Chunk(500))
                await app.SendReadsAsync(readers[r], batch);

        var command = new ColocationCommand("tests", null, "case 2026-000777, baseline check",
            incidents.Select(x => new ColocationPlaceDto(x.Lat, x.Lon, x.At)).ToList(), RadiusMeters: 300, WindowMinutes: 15, MinIncidents: 3);
        var before = await QueryAsync(command, BaselineBefore);
        var after = await QueryAsync(command, ColocationCommandHandler.Baseline);

        // The data set exercises what it should: six or more candidates, baselines of many different day counts.
        Assert.True(before.Sightings.Keys.Count(k => k.Plate.EndsWith(suffix, StringComparison.Ordinal)) >= 6, "too few candidates");
        Assert.True(before.Baseline.Count >= 20, $"only {before.Baseline.Count} baseline entries");
        Assert.True(before.Baseline.Values.Distinct().Count() >= 5, "too few different day counts");

        Assert.Equal(Sorted(before.Baseline), Sorted(after.Baseline));
        Assert.Equal(before.Sightings.Keys.Order().ToList(), after.Sightings.Keys.Order().ToList());
        foreach (var key in before.Sightings.Keys)
            Assert.Equal(before.Sightings[key].Select(s => (s.Idx, s.S.ReadId)).Order().ToList(), after.Sightings[key].Select(s => (s.Idx, s.S.ReadId)).Order().ToList());
    }

    private static List<string> Sorted(Dictionary<(string Plate, string Region, int Idx), int> baseline) =>
        baseline.Select(kv => $"{kv.Key.Plate}/{kv.Key.Region}/{kv.Key.Idx}: {kv.Value}").Order(StringComparer.Ordinal).ToList();

    /// <summary>The handler's steps with <paramref name="baselineSql"/>, on the handler's own connection path, in a transaction of their own.</summary>
    private async Task<(Dictionary<(string Plate, string Region), List<(int Idx, PlateSightingDto S)>> Sightings,
        Dictionary<(string Plate, string Region, int Idx), int> Baseline)> QueryAsync(ColocationCommand command, string baselineSql)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlatesDbContext>();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var tx = await connection.BeginTransactionAsync();
            var result = await ColocationCommandHandler.QueryAsync(connection, tx, command, baselineSql, CancellationToken.None);
            await tx.CommitAsync();
            return result;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
