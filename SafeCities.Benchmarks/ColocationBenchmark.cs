using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Benchmarks;

/// <summary>
/// <c>colocation [--rows 10000000] [--queries 30]</c>: a generated month of reads (binary COPY straight into plates.plate_reads, indexes
/// rebuilt after the load) from 200 readers on a city grid, then 5-incident co-location queries through the HTTP API; p50/p95.
/// </summary>
internal static class ColocationBenchmark
{
    public const string Name = "colocation";
    private const int GridX = 20, GridY = 10, SpacingMeters = 700, Vehicles = 400_000, Days = 30;
    private const double CityLat = 38.90, CityLon = -77.03;

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = BenchSupport.Arg(args, "--rows", 10_000_000);
        var queries = BenchSupport.Arg(args, "--queries", 30);
        await using var host = await BenchHost.StartAsync();
        var connectionString = host.Services.GetRequiredService<IConfiguration>().GetConnectionString("SafeCities")!;
        using var admin = new HttpClient { BaseAddress = host.BaseAddress };
        admin.DefaultRequestHeaders.Add("X-Api-Key", host.AdminKey);

        var readers = new List<(Guid Id, double Lat, double Lon)>();
        for (var x = 0; x < GridX; x++)
        for (var y = 0; y < GridY; y++)
        {
            var (lat, lon) = GeoMath.Offset(CityLat, CityLon, Math.Sqrt(Math.Pow(x * SpacingMeters, 2) + Math.Pow(y * SpacingMeters, 2)),
                Math.Atan2(x * SpacingMeters, y * SpacingMeters) * 180 / Math.PI);
            var response = await admin.PostAsJsonAsync("api/v1/devices", new { kind = "plate-reader", name = $"LPR {x}-{y}", latitude = lat, longitude = lon });
            response.EnsureSuccessStatusCode();
            var id = (await response.Content.ReadFromJsonAsync<DeviceReply>())!.Id;
            readers.Add((id, lat, lon));
        }

        var end = DateTimeOffset.UtcNow.AddMinutes(-5);
        var start = end.AddDays(-Days);
        var load = Stopwatch.StartNew();
        var target = await GenerateAsync(connectionString, readers, rows, start, end);
        Console.WriteLine($"generated {rows:N0} reads over {Days} days from {readers.Count} readers, {Vehicles:N0} vehicles: {load.Elapsed.TotalSeconds:0} s " +
                          $"(binary COPY + index rebuild + ANALYZE)");

        var machine = MachineLoad.Start();
        var rnd = new Random(7);
        var ms = new List<double>();
        var targetFirst = 0;
        for (var q = -3; q < queries; q++)
        {
            // Five incidents at random readers and times; the planted vehicle's three places are always among them (it must rank first).
            var places = target.Select(t => new { latitude = t.Lat, longitude = t.Lon, occurredAt = t.At }).ToList();
            while (places.Count < 5)
            {
                var r = readers[rnd.Next(readers.Count)];
                places.Add(new { latitude = r.Lat, longitude = r.Lon, occurredAt = start.AddMinutes(rnd.Next(60, Days * 24 * 60 - 60)) });
            }
            var sw = Stopwatch.StartNew();
            var response = await admin.PostAsJsonAsync("api/v1/plates/colocation", new
            {
                incidents = places.OrderBy(_ => rnd.Next()), radiusMeters = 300, windowMinutes = 15, minIncidents = 3, purpose = "benchmark",
            });
            response.EnsureSuccessStatusCode();
            var result = (await response.Content.ReadFromJsonAsync<ColocationReply>())!;
            sw.Stop();
            if (q < 0)
                continue; // warm-up
            ms.Add(sw.Elapsed.TotalMilliseconds);
            if (result.Vehicles.FirstOrDefault()?.Plate == TargetPlate)
                targetFirst++;
        }
        Console.WriteLine(Stats.Summary("colocation: 5 incidents, 300 m, ±15 min, k=3 (HTTP)", ms));
        var figures = machine.Stop();
        Console.WriteLine(figures);
        if (args.Contains("--explain"))
            await ExplainAsync(connectionString, target);
        Console.WriteLine($"planted vehicle ranked first in {targetFirst}/{queries} queries");
        BenchSupport.WriteJson(args, Name, new { rows, queries, Latency = BenchSupport.Latency(ms), plantedFirst = targetFirst }, figures);
        return 0;
    }

    private const string TargetPlate = "TGT0001";

    /// <summary>Streams the rows with binary COPY; returns the planted vehicle's three (place, time).</summary>
    private static async Task<List<(double Lat, double Lon, DateTimeOffset At)>> GenerateAsync(string cs, List<(Guid Id, double Lat, double Lon)> readers,
        int rows, DateTimeOffset start, DateTimeOffset end)
    {
        await using var db = new NpgsqlConnection(cs);
        await db.OpenAsync();
        var indexes = new List<string>();
        await using (var cmd = new NpgsqlCommand("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'plates' AND tablename = 'plate_reads' AND indexname NOT LIKE 'pk_%'", db))
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync())
                indexes.Add(r.GetString(1));
        foreach (var def in indexes)
            await Exec(db, $"DROP INDEX plates.{def.Split(' ')[def.Split(' ').ToList().IndexOf("INDEX") + 1]}");
        // Reads are partitioned by day: make every day's partition before streaming the month in.
        await Exec(db, $"SELECT plates.ensure_plate_read_partition(d::date) FROM generate_series('{start.UtcDateTime:yyyy-MM-dd}'::date, '{end.UtcDateTime:yyyy-MM-dd}'::date, interval '1 day') d");

        var rnd = new Random(11);
        // Vehicles live near a home reader and mostly pass readers around it (commuters), some roam the city.
        var home = Enumerable.Range(0, Vehicles).Select(_ => rnd.Next(readers.Count)).ToArray();
        var span = (end - start).TotalSeconds;
        var target = Enumerable.Range(0, 3).Select(i => readers[rnd.Next(readers.Count)]).Select((r, i) =>
            (r.Lat, r.Lon, At: start.AddDays(5 + 7 * i).AddHours(3 + i))).ToList();
        var columns = "id, reader_id, read_id, plate, region, captured_at, received_at, confidence, make, model, color, image_ref, latitude, longitude";
        await using (var copy = await db.BeginBinaryImportAsync($"COPY plates.plate_reads ({columns}) FROM STDIN (FORMAT BINARY)"))
        {
            string[] makes = ["Honda", "Toyota", "Ford", "Chevrolet", "Nissan"], colors = ["silver", "black", "white", "red", "blue"];
            for (var i = 0; i < rows; i++)
            {
                var v = rnd.Next(Vehicles);
                var reader = rnd.NextDouble() < 0.8 ? readers[Math.Clamp(home[v] + rnd.Next(-3, 4), 0, readers.Count - 1)] : readers[rnd.Next(readers.Count)];
                var at = start.AddSeconds(rnd.NextDouble() * span);
                Row(copy, reader, $"g{i}", $"V{v:000000}", at, makes[v % 5], colors[v / 5 % 5]);
            }
            for (var i = 0; i < target.Count; i++)
            {
                var r = readers.First(x => x.Lat == target[i].Lat && x.Lon == target[i].Lon);
                Row(copy, r, $"t{i}", TargetPlate, target[i].At.AddMinutes(4), "Dodge", "grey");
            }
            await copy.CompleteAsync();
        }
        // pg_indexes shows a partitioned table's indexes as "ON ONLY" (parent only); rebuild them on every day partition.
        foreach (var def in indexes)
            await Exec(db, def.Replace(" ON ONLY ", " ON ", StringComparison.Ordinal));
        await Exec(db, "ANALYZE plates.plate_reads");
        return target;
    }

    private static void Row(NpgsqlBinaryImporter copy, (Guid Id, double Lat, double Lon) reader, string readId, string plate, DateTimeOffset at,
        string make, string color)
    {
        copy.StartRow();
        copy.Write(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
        copy.Write(reader.Id, NpgsqlDbType.Uuid);
        copy.Write(readId, NpgsqlDbType.Varchar);
        copy.Write(plate, NpgsqlDbType.Varchar);
        copy.Write("DC", NpgsqlDbType.Varchar);
        copy.Write(at.UtcDateTime, NpgsqlDbType.TimestampTz);
        copy.Write(at.UtcDateTime, NpgsqlDbType.TimestampTz);
        copy.Write(0.9, NpgsqlDbType.Double);
        copy.Write(make, NpgsqlDbType.Varchar);
        copy.WriteNull();
        copy.Write(color, NpgsqlDbType.Varchar);
        copy.WriteNull();
        copy.Write(reader.Lat, NpgsqlDbType.Double);
        copy.Write(reader.Lon, NpgsqlDbType.Double);
    }

    /// <summary>The plan of each step for the planted vehicle's places (diagnostics: <c>--explain</c>).</summary>
    private static async Task ExplainAsync(string cs, List<(double Lat, double Lon, DateTimeOffset At)> places)
    {
        await using var db = new NpgsqlConnection(cs);
        await db.OpenAsync();
        var values = string.Join(", ", places.Select(p => FormattableString.Invariant($"({p.Lat}, {p.Lon}, '{p.At.UtcDateTime:O}'::timestamptz)")));
        string[] steps =
        [
            $"CREATE TEMP TABLE coloc_near AS SELECT t.idx - 1 AS idx, r.id AS reader_id, t.at FROM (SELECT *, row_number() OVER () AS idx FROM (VALUES {values}) v(lat, lon, at)) t JOIN plates.readers r ON ST_DWithin(r.location, ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326)::geography, 300)",
            "ANALYZE coloc_near",
            "EXPLAIN (ANALYZE, BUFFERS) CREATE TEMP TABLE coloc_seen AS SELECT n.idx, p.* FROM coloc_near n CROSS JOIN LATERAL (SELECT * FROM plates.plate_reads p WHERE p.reader_id = n.reader_id AND p.captured_at BETWEEN n.at - interval '15 min' AND n.at + interval '15 min') p",
            "CREATE TEMP TABLE coloc_cand AS SELECT plate, region FROM coloc_seen GROUP BY plate, region HAVING count(DISTINCT idx) >= 2",
            "ANALYZE coloc_cand",
            """
            EXPLAIN (ANALYZE, BUFFERS) SELECT p.plate, p.region, w.idx, count(DISTINCT w.d)::int
            FROM (SELECT DISTINCT n.idx, n.reader_id, g.d, n.at - make_interval(days => g.d) AS day_at
                  FROM coloc_near n CROSS JOIN generate_series(1, 28) AS g(d)) w
            CROSS JOIN LATERAL (SELECT p.plate, p.region FROM plates.plate_reads p WHERE p.reader_id = w.reader_id
                AND p.captured_at BETWEEN w.day_at - interval '30 min' AND w.day_at + interval '30 min' OFFSET 0) p
            WHERE EXISTS (SELECT 1 FROM coloc_cand c WHERE c.plate = p.plate AND c.region = p.region)
            GROUP BY p.plate, p.region, w.idx
            """,
        ];
        foreach (var step in steps)
        {
            await using var cmd = new NpgsqlCommand(step, db);
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
                if (step.StartsWith("EXPLAIN") || step.TrimStart().StartsWith("EXPLAIN"))
                    Console.WriteLine(r.GetString(0));
        }
    }

    private static async Task Exec(NpgsqlConnection db, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, db) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync();
    }

    private sealed record DeviceReply(Guid Id);
    private sealed record ColocationReply(List<ColocationVehicle> Vehicles);
    private sealed record ColocationVehicle(string Plate, double Score);
}
