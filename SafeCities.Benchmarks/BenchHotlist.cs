using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Domain;
using SafeCities.Modules.Plates.Features;

namespace SafeCities.Benchmarks;

/// <summary>
/// NCIC-sized hotlists for <c>plates-ingest</c>, loaded with binary COPY straight into the app's tables (once per bench database; every run
/// of the process reuses them). Entries are plates of shapes the generated fleet (three letters, four digits) never has, so that only the
/// planted entries are hit: about 0.03 % of the fleet's vehicles, listed exactly, as a look-alike (O/0, I/1…), with a character missing, or
/// as a wildcard. About 1 % of the entries are wildcards (<c>7AB*</c>, <c>7A?C12?</c>, <c>*QX7</c>, a few <c>*7QX*</c>); the others are
/// matched exactly and misread-tolerantly by the app's matcher.
/// </summary>
internal static class BenchHotlist
{
    public sealed record Loaded(int Entries, int Lists, int Wildcards, int Tolerant, double Seconds);

    /// <param name="MicrosecondsPerRead">On a warm cache.</param>
    /// <param name="ColdMicrosecondsPerRead">With the caches filled by other data before each batch, as beside a busy database.</param>
    public sealed record MatchingCost(int Reads, int Hits, double MicrosecondsPerRead, double CpuMicrosecondsPerRead, double ColdMicrosecondsPerRead,
        double LoadSeconds, double BuildSeconds);

    private const string Letters = "ABCDEFGHJKLMNPRTUVWXY", Digits = "0123456789";

    public static async Task<Loaded> LoadAsync(NpgsqlDataSource dataSource, int size, int fleetSize, Random random)
    {
        var started = Stopwatch.GetTimestamp();
        var now = DateTime.UtcNow;
        (Guid Id, string Name, string Kind, string Level, double Share)[] lists =
        [
            (Guid.CreateVersion7(), "Bench NCIC stolen vehicles", HotlistKinds.NcicStolen, AlertLevels.High, 0.6),
            (Guid.CreateVersion7(), "Bench NCIC wanted persons", HotlistKinds.NcicWanted, AlertLevels.High, 0.3),
            (Guid.CreateVersion7(), "Bench agency BOLO", HotlistKinds.Agency, AlertLevels.Medium, 0.099),
            (Guid.CreateVersion7(), "Bench AMBER", HotlistKinds.Amber, AlertLevels.High, 0.001),
        ];
        foreach (var l in lists)
        {
            await using var insert = dataSource.CreateCommand("""
                INSERT INTO plates.hotlists (id, name, kind, alert_level, reason, owner, visibility, created_at, created_by, imported_at)
                VALUES ($1, $2, $3, $4, 'benchmark extract', 'Bench', 'all-staff', $5, 'bench', $5)
                """);
            foreach (var value in new object[] { l.Id, l.Name, l.Kind, l.Level, now })
                insert.Parameters.Add(new NpgsqlParameter { Value = value });
            await insert.ExecuteNonQueryAsync();
        }

        // The planted entries: 0.03 % of the fleet.
        var entries = new List<(string Plate, string? Region)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var planted = Math.Max(4, fleetSize * 3 / 10_000);
        var tolerant = 0;
        foreach (var vehicle in Enumerable.Range(0, fleetSize).OrderBy(_ => random.Next()).Take(planted).Select((v, i) => (v, i)))
        {
            var plate = PlatesIngestBenchmark.Plate(vehicle.v);
            var entry = (vehicle.i % 12) switch
            {
                0 => plate.Replace('1', 'I').Replace('0', 'O'),   // a look-alike: matched as a misread if the plate has a 1 or 0
                1 => plate.Remove(4, 1),                          // the extract lacks a character: the read has one more
                2 => plate[..6] + "?",                            // a wildcard for the last character
                _ => plate,
            };
            tolerant += entry != plate && !PlateMatcher.IsWildcard(entry) ? 1 : 0;
            if (seen.Add(entry))
                entries.Add((entry, null));
        }

        var wildcards = entries.Count(e => PlateMatcher.IsWildcard(e.Plate));
        while (entries.Count < size)
        {
            var roll = random.NextDouble();
            string plate;
            if (roll < 0.01)
            {
                wildcards++;
                var b = random.Next(100);
                plate = b < 50 ? $"{D()}{L()}{L()}*"
                    : b < 80 ? $"{D()}{L()}?{L()}{D()}{D()}?"
                    : b < 99 ? $"*{L()}{L()}{D()}"
                    : $"*{D()}{L()}{L()}*";
            }
            else if (roll < 0.6)
                plate = $"{D()}{L()}{L()}{L()}{D()}{D()}{D()}";
            else if (roll < 0.85)
                plate = $"{L()}{L()}{D()}{D()}{D()}{L()}{L()}";
            else
                plate = $"{D()}{D()}{D()}{L()}{L()}{L()}{L()}";
            if (!seen.Add(plate))
            {
                if (PlateMatcher.IsWildcard(plate))
                    wildcards--;
                continue;
            }
            var regionRoll = random.Next(10);
            entries.Add((plate, regionRoll < 7 ? null : regionRoll == 7 ? "DC" : regionRoll == 8 ? "MD" : "VA"));
        }

        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var tx = await connection.BeginTransactionAsync())
        {
            // The entries carry the version of a change in their own transaction, as an import's do (ADR 0062): a statement that deletes
            // nothing bumps the lists' version first. Left to the column's default, every row called it (13 s for the million, not 9).
            await using (var bump = new NpgsqlCommand("DELETE FROM plates.hotlist_entries WHERE false", connection, tx))
                await bump.ExecuteNonQueryAsync();
            await using var read = new NpgsqlCommand($"SELECT {HotlistQueries.Version}", connection, tx);
            var version = (long)(await read.ExecuteScalarAsync())!;
            await using (var copy = await connection.BeginBinaryImportAsync("""
                COPY plates.hotlist_entries (id, hotlist_id, plate, region, reason, reference, expires_at, added_at, added_version)
                FROM STDIN (FORMAT BINARY)
                """))
            {
                var cumulative = 0.0;
                var bounds = lists.Select(l => cumulative += l.Share).ToArray();
                for (var i = 0; i < entries.Count; i++)
                {
                    var share = (double)i / entries.Count;
                    var index = Array.FindIndex(bounds, b => share < b);
                    var list = lists[index < 0 ? lists.Length - 1 : index];
                    await copy.StartRowAsync();
                    await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                    await copy.WriteAsync(list.Id, NpgsqlDbType.Uuid);
                    await copy.WriteAsync(entries[i].Plate, NpgsqlDbType.Varchar);
                    if (entries[i].Region is { } region)
                        await copy.WriteAsync(region, NpgsqlDbType.Varchar);
                    else
                        await copy.WriteNullAsync();
                    await copy.WriteNullAsync();
                    await copy.WriteAsync($"NIC/V{i:D9}", NpgsqlDbType.Varchar);
                    if (i % 10 == 0)
                        await copy.WriteAsync(now.AddDays(365), NpgsqlDbType.TimestampTz);
                    else
                        await copy.WriteNullAsync();
                    await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(version, NpgsqlDbType.Bigint);
                }
                await copy.CompleteAsync();
            }
            await tx.CommitAsync();
        }
        await BenchSupport.ExecuteAsync(dataSource, "ANALYZE plates.hotlist_entries");
        return new Loaded(entries.Count, lists.Length, wildcards, tolerant, Stopwatch.GetElapsedTime(started).TotalSeconds);

        char L() => Letters[random.Next(Letters.Length)];
        char D() => Digits[random.Next(Digits.Length)];
    }

    /// <summary>
    /// The app's own matcher over the active entries (as the matcher cache builds it), timed: loading, building, and matching every read
    /// on one thread — once to let the runtime compile it fully, then on a warm cache, then as on the ingestion path beside a busy database:
    /// before each batch of 250 reads the processor's caches are filled with other data (a 48 MB sweep, not timed), so the matcher's
    /// indexes come from memory as they do in a run (ADR 0057, fifth pass). Builds the app's matcher of the loaded
    /// entries first (the lists were loaded by COPY, as no node's change), so that the runs match with it.
    /// </summary>
    public static async Task<MatchingCost> MatchingCostAsync(BenchHost host, IReadOnlyList<(string Plate, string Region)> reads)
    {
        await host.Services.GetRequiredService<HotlistMatcherCache>().ChangedAsync();
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlatesDbContext>();
        var now = DateTimeOffset.UtcNow;
        var started = Stopwatch.GetTimestamp();
        var entries = await HotlistQueries.ActiveEntries(db, now).ToListAsync();
        var loaded = Stopwatch.GetElapsedTime(started).TotalSeconds;
        started = Stopwatch.GetTimestamp();
        var matcher = new PlateMatcher(entries);
        var built = Stopwatch.GetElapsedTime(started).TotalSeconds;
        foreach (var (plate, region) in reads)   // fully compiled (tiered compilation) before anything is timed
            matcher.Match(plate, region, now);
        var hits = 0;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;   // the app is idle meanwhile: this is the matching thread's
        started = Stopwatch.GetTimestamp();
        foreach (var (plate, region) in reads)
            hits += matcher.Match(plate, region, now).Count > 0 ? 1 : 0;
        var perRead = Stopwatch.GetElapsedTime(started).TotalMicroseconds / reads.Count;
        var cpuPerRead = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / reads.Count;
        var other = new byte[48 << 20];
        long ticks = 0;
        for (var first = 0; first < reads.Count; first += 250)
        {
            for (var i = 0; i < other.Length; i += 64)
                other[i]++;
            var t = Stopwatch.GetTimestamp();
            for (var i = first; i < Math.Min(reads.Count, first + 250); i++)
                matcher.Match(reads[i].Plate, reads[i].Region, now);
            ticks += Stopwatch.GetTimestamp() - t;
        }
        var coldPerRead = (double)ticks / Stopwatch.Frequency * 1e6 / reads.Count;
        return new MatchingCost(reads.Count, hits, perRead, cpuPerRead, coldPerRead, loaded, built);
    }
}
