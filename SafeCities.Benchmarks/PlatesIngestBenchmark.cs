using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NpgsqlTypes;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Features;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Benchmarks;

/// <summary>
/// <c>plates-ingest</c>: sustained plate reads per second through <c>POST /api/v1/plates/reads</c> (several concurrent clients,
/// each driving its own readers, batches of realistic size, every reader with its own device key), then, in the same run
/// and on the same (emptied) table, raw binary COPY of the same rows with the same concurrency and batch size: the physical
/// baseline. Prints both rates, their ratio and the batch latency percentiles.
/// </summary>
internal static class PlatesIngestBenchmark
{
    public const string Name = "plates-ingest";
    private const double CenterLat = 38.9, CenterLon = -77.03;
    private static readonly string[] Makes = ["Toyota", "Honda", "Ford", "Chevrolet", "Nissan", "Hyundai", "Kia", "Subaru", "BMW", "Tesla"];
    private static readonly string[] Models = ["Camry", "Civic", "F-150", "Malibu", "Altima", "Elantra", "Soul", "Outback", "X3", "Model 3"];
    private static readonly string[] Colors = ["black", "white", "silver", "grey", "blue", "red", "green"];

    private sealed record Read(string ReadId, string Plate, string Region, DateTimeOffset CapturedAt, double Confidence, string? Make, string? Model,
        string? Color, string ImageRef);

    /// <summary>A reader's upload: its first <see cref="Fresh"/> reads are new, the rest were sent before.</summary>
    private sealed record Batch(int Reader, Read[] Reads, int Fresh, byte[] Json);

    public static async Task<int> RunAsync(string[] args)
    {
        var total = BenchSupport.Arg(args, "--reads", 300_000);
        var batchSize = BenchSupport.Arg(args, "--batch", 250);
        var clientCounts = BenchSupport.Arg(args, "--clients", [2, 6, 12]);
        var readerCount = BenchSupport.Arg(args, "--readers", 120);
        var hotlistSize = BenchSupport.Arg(args, "--hotlist", 1_000_000);
        var repeatPercent = BenchSupport.Arg(args, "--repeats", 5.0);
        var incidents = BenchSupport.Arg(args, "--incidents", 12);
        var runs = Math.Max(1, BenchSupport.Arg(args, "--runs", 3));
        var lookBacks = BenchSupport.Arg(args, "--look-back", Array.Empty<int>());
        var changeEvery = BenchSupport.Arg(args, "--hotlist-changes-every", 0.0);

        // synchronous_commit=on for the app's sessions and for the COPY baseline's (the same connection string).
        await using var host = await BenchHost.StartAsync(durable: true);
        using var admin = new HttpClient { BaseAddress = host.BaseAddress };
        admin.DefaultRequestHeaders.Add("X-Api-Key", host.AdminKey);
        await using var dataSource = NpgsqlDataSource.Create(host.ConnectionString);

        Console.Error.WriteLine($"registering {readerCount} plate readers…");
        var readers = new List<(Guid Id, string Key, double Lat, double Lon)>();
        for (var i = 0; i < readerCount; i++)
        {
            var (lat, lon) = GeoMath.Offset(CenterLat, CenterLon, 150 + 40 * i, i * 137.5 % 360);
            var response = await admin.PostAsJsonAsync("api/v1/devices", new
            {
                kind = "plate-reader", name = $"bench reader {i}", latitude = lat, longitude = lon, elevationMeters = 5.0,
                settings = new { headingDegrees = 90.0, lanes = 2 },
            });
            response.EnsureSuccessStatusCode();
            var created = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            readers.Add((created["id"]!.GetValue<Guid>(), created["apiKey"]!.GetValue<string>(), lat, lon));
        }

        Console.Error.WriteLine($"loading a hotlist of {hotlistSize:N0} entries with COPY…");
        var hotlist = await BenchHotlist.LoadAsync(dataSource, hotlistSize, FleetSize, new Random(11));
        // Lists change while a city reads plates (an analyst lists a plate, Intelligence requests a vehicle): with --hotlist-changes-every S
        // a plate is listed through the API every S seconds of each API run, as an analyst lists one by hand.
        var byHand = changeEvery > 0 ? await CreateListAsync(admin) : (Guid?)null;
        Console.Error.WriteLine($"arming readers for {incidents} open incidents…");
        var armed = await ArmAsync(host, dataSource, readers, incidents, new Random(5));

        Console.Error.WriteLine($"generating {total} reads in batches of {batchSize} ({repeatPercent} % repeated)…");
        // Every run sends reads of its own (new read ids, same plates, times and repeats): a node never sees a read id twice unless
        // it is a repeat, and its recent-reads hint (ADR 0057) must not know a run's reads from the run before.
        List<Batch> Reads(string prefix) => Generate(readerCount, total, batchSize, prefix, new Random(42), repeatPercent);
        var batches = Reads("r");
        var sent = batches.Sum(b => b.Reads.Length);
        var distinct = batches.Sum(b => b.Fresh);
        var matching = await BenchHotlist.MatchingCostAsync(host, batches.SelectMany(b => b.Reads.Take(b.Fresh)).Select(r => (r.Plate, r.Region)).ToList());

        // A node runs for days: the figures are of the app's steady state, not of its first minute, while the runtime still
        // recompiles the hot paths with optimisations (tiered compilation). Warm up in rounds until three rounds in a row spend less
        // than 2 % of their time compiling (one quiet round was not enough: the runtime promotes methods in waves, and a run after a
        // single quiet round still met 100+ ms of compiling), the rounds taking turns at each client count; at most 40 rounds, about a
        // minute on 2 busy cores. Every run prints the compilation time it still met.
        var (warmUpRounds, warmUpQuiet, quietInARow) = (0, false, 0);
        for (var round = 0; round < 40 && !warmUpQuiet; round++)
        {
            var (jitBefore, t) = (System.Runtime.JitInfo.GetCompilationTime(), Stopwatch.GetTimestamp());
            await PostAllAsync(host, readers, Generate(readerCount, 120 * batchSize, batchSize, $"w{round}", new Random(7 + round), repeatPercent),
                clientCounts[round % clientCounts.Length]); // every client count: a run at 2 meets paths a round at 12 does not
            var (jit, elapsed) = (System.Runtime.JitInfo.GetCompilationTime() - jitBefore, Stopwatch.GetElapsedTime(t));
            warmUpRounds = round + 1;
            Console.Error.WriteLine($"warm-up round {warmUpRounds}: {elapsed.TotalSeconds:0.0} s, {jit.TotalMilliseconds:0} ms compiling");
            quietInARow = jit < elapsed * 0.02 ? quietInARow + 1 : 0;
            warmUpQuiet = quietInARow == 3;
        }
        Console.Error.WriteLine($"warm-up: {warmUpRounds} rounds, {(warmUpQuiet ? "the JIT is quiet" : "the JIT was still compiling (see each run's compilation time)")}");
        const string Empty = "TRUNCATE plates.plate_reads, plates.incident_reads, plates.hotlist_hits; VACUUM ANALYZE plates.plate_reads;";

        var results = new List<RunFigures>();
        var failed = false;
        foreach (var clients in clientCounts)
            for (var run = 1; run <= runs; run++)
            {
                await BenchSupport.ExecuteAsync(dataSource, Empty);
                batches = Reads($"r{clients}.{run}");
                Console.Error.WriteLine($"API: {clients} clients, run {run} of {runs}…");
                var jitBefore = System.Runtime.JitInfo.GetCompilationTime();
                var runStarted = DateTime.UtcNow;
                var apiLoad = await MachineLoad.StartAsync(dataSource);
                using var listing = new CancellationTokenSource();
                var listed = byHand is { } list ? ListByHandAsync(admin, list, changeEvery, listing.Token) : Task.FromResult(0);
                var api = await PostAllAsync(host, readers, batches, clients) with { JitMilliseconds = (System.Runtime.JitInfo.GetCompilationTime() - jitBefore).TotalMilliseconds };
                await listing.CancelAsync();
                var changes = await listed;
                // The run ends when the work it handed to the outboxes (hits' alerts, armed readers' reports, reactions) is delivered too.
                var drain = await BenchSupport.DrainOutboxesAsync(dataSource);
                api = api with { Seconds = api.Seconds + drain, DrainSeconds = drain };
                var apiMachine = await apiLoad.StopAsync();
                var alerted = await HitAlertDelaysAsync(dataSource, runStarted);
                var stored = await BenchSupport.CountAsync(dataSource, "plates.plate_reads");
                var hits = await BenchSupport.CountAsync(dataSource, "plates.hotlist_hits");
                var linked = await BenchSupport.CountAsync(dataSource, "plates.incident_reads");

                await BenchSupport.ExecuteAsync(dataSource, Empty);
                Console.Error.WriteLine($"raw COPY: {clients} connections, run {run} of {runs}…");
                var copyLoad = await MachineLoad.StartAsync(dataSource);
                var copy = await CopyAllAsync(dataSource, readers, batches, clients);
                var copyMachine = await copyLoad.StopAsync();
                var copied = await BenchSupport.CountAsync(dataSource, "plates.plate_reads");
                var r = new RunFigures(clients, run, api, copy, stored, copied, hits, linked, apiMachine, copyMachine, alerted, changes);
                results.Add(r);
                failed |= stored != distinct || copied != distinct;
                Console.WriteLine($"  clients {clients,2} run {run}: API {sent / api.Seconds,8:N0} reads/s, raw COPY {sent / copy.Seconds,8:N0} reads/s, " +
                                  $"ratio {copy.Seconds / api.Seconds:0.00}, API batch p95 {Stats.Percentile(api.Latencies, 95):0.0} ms, p99 " +
                                  $"{Stats.Percentile(api.Latencies, 99):0.0} ms, max {api.Latencies.Max():0} ms, {api.Shed} shed; " +
                                  (byHand is null ? "" : $"{changes} plates listed by hand during the run; ") +
                                  $"{stored} stored{(stored != distinct ? $" MISMATCH (expected {distinct})" : "")}, {hits} hits, {linked} reads linked to incidents; " +
                                  $"outboxes drained {api.DrainSeconds * 1000:0} ms after the last answer (counted in the API's time)");
                Console.WriteLine($"      CPU per read (this process: app + clients; and its PostgreSQL backends): API {r.ApiCpuMicroseconds(sent):0} µs " +
                                  $"({r.ApiProcessMicroseconds(sent):0} + {r.ApiDatabaseMicroseconds(sent):0}), raw COPY {r.CopyCpuMicroseconds(sent):0} µs " +
                                  $"({r.CopyProcessMicroseconds(sent):0} + {r.CopyDatabaseMicroseconds(sent):0}); compiling during the API run {api.JitMilliseconds:0} ms");
                if (alerted.Count > 0)
                    Console.WriteLine($"      hits' alerts handled by Alerts (through Plates' outbox) p50 {Stats.Percentile(alerted, 50):0} ms, p95 " +
                                      $"{Stats.Percentile(alerted, 95):0} ms, max {alerted.Max():0} ms after the hit's commit ({alerted.Count} hits)");
                Console.WriteLine($"      API  {apiMachine}");
                Console.WriteLine($"      COPY {copyMachine}");
            }

        // A newly listed import's look-back at the last run's reads (ADR 0061): the first N active entries, as if just listed.
        var lookBackFigures = new JsonArray();
        foreach (var n in lookBacks)
        {
            await using var scope = host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PlatesDbContext>();
            var entries = await HotlistQueries.ActiveEntries(db, DateTimeOffset.UtcNow).Take(n).ToListAsync();
            var (inWindow, started) = (await BenchSupport.CountAsync(dataSource, "plates.plate_reads"), Stopwatch.GetTimestamp());
            var found = await scope.ServiceProvider.GetRequiredService<RetroactiveHotlistCheck>().RunAsync(entries, null, default);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            Console.WriteLine($"look-back of {entries.Count:N0} newly listed entries at {inWindow:N0} reads: {seconds:0.00} s, {found} hits not recorded before");
            lookBackFigures.Add(new JsonObject { ["entries"] = entries.Count, ["reads"] = inWindow, ["seconds"] = BenchSupport.Round(seconds), ["new_hits"] = found });
        }

        // As the API's and the COPY's sessions see it (the same connection string): synchronous_commit=on, and the cluster's fsync, which
        // decides whether a commit waits for the disk (off on the dev cluster of scripts/pg-local; PG_DURABLE=1 starts a durable one).
        var settings = await BenchSupport.DurabilityAsync(dataSource);
        var synchronousCommit = await BenchSupport.ScalarAsync(dataSource, "SHOW synchronous_commit");
        Console.WriteLine();
        Console.WriteLine($"SafeCities plates-ingest: {sent:N0} reads a run ({distinct:N0} distinct, {sent - distinct:N0} = {repeatPercent} % repeated reads a reader " +
                          $"sent before), {readerCount} readers, batches of {batchSize}; {settings} for the API and the COPY baseline; " +
                          $"app + PostgreSQL + clients on this machine ({Environment.ProcessorCount} cores)");
        Console.WriteLine($"hotlists: {hotlist.Entries:N0} active entries in {hotlist.Lists} lists ({hotlist.Wildcards:N0} wildcard, {hotlist.Tolerant:N0} matched " +
                          $"misread-tolerantly), loaded once by COPY in {hotlist.Seconds:0.0} s and reused by every run of this process");
        Console.WriteLine($"armed readers: {armed.Readers} of {readerCount} for {armed.Incidents} open incidents (gunshot, the app's arming handler)");
        Console.WriteLine($"matching cost per read (the app's PlateMatcher, one thread): {matching.MicrosecondsPerRead:0.00} µs wall-clock, " +
                          $"{matching.CpuMicrosecondsPerRead:0.00} µs CPU on a warm cache; {matching.ColdMicrosecondsPerRead:0.00} µs with the caches " +
                          "filled by other data before each batch, as beside a busy database " +
                          $"(matcher built in {matching.BuildSeconds:0.0} s from {matching.LoadSeconds:0.0} s of loading; {matching.Hits} of {matching.Reads:N0} distinct reads " +
                          $"match = {100.0 * matching.Hits / matching.Reads:0.000} %)");
        Console.WriteLine("clients  API reads/s (median, min–max)   COPY reads/s (median, min–max)   ratio (median, min–max)   API p95 ms (median)  runs");
        var json = new JsonObject
        {
            ["reads"] = sent, ["distinct_reads"] = distinct, ["repeat_percent"] = repeatPercent, ["readers"] = readerCount, ["batch"] = batchSize,
            ["synchronous_commit"] = synchronousCommit, ["settings"] = settings, ["hotlist_entries"] = hotlist.Entries, ["hotlist_wildcard_entries"] = hotlist.Wildcards,
            ["hotlist_load_seconds"] = BenchSupport.Round(hotlist.Seconds), ["armed_readers"] = armed.Readers, ["open_incidents"] = armed.Incidents,
            ["matching_us_per_read"] = BenchSupport.Round(matching.MicrosecondsPerRead, 2),
            ["matching_cpu_us_per_read"] = BenchSupport.Round(matching.CpuMicrosecondsPerRead, 2), ["matching_cold_us_per_read"] = BenchSupport.Round(matching.ColdMicrosecondsPerRead, 2), ["matcher_build_seconds"] = BenchSupport.Round(matching.BuildSeconds, 2),
            ["hit_rate_percent"] = BenchSupport.Round(100.0 * matching.Hits / matching.Reads, 4), ["hotlist_changes_every_s"] = changeEvery,
            ["warm_up_rounds"] = warmUpRounds, ["warm_up_quiet"] = warmUpQuiet,
        };
        var byClients = new JsonArray();
        foreach (var group in results.GroupBy(r => r.Clients))
        {
            var apiRates = group.Select(r => sent / r.Api.Seconds).ToList();
            var copyRates = group.Select(r => sent / r.Copy.Seconds).ToList();
            var ratios = group.Select(r => r.Copy.Seconds / r.Api.Seconds).ToList();
            var p95s = group.Select(r => Stats.Percentile(r.Api.Latencies, 95)).ToList();
            Console.WriteLine($"{group.Key,7}  {Median(apiRates),9:N0} ({apiRates.Min(),7:N0}–{apiRates.Max(),7:N0})       " +
                              $"{Median(copyRates),9:N0} ({copyRates.Min(),7:N0}–{copyRates.Max(),7:N0})        " +
                              $"{Median(ratios),5:0.00} ({ratios.Min():0.00}–{ratios.Max():0.00})         {Median(p95s),8:0.0}        {group.Count()}");
            byClients.Add(new JsonObject
            {
                ["clients"] = group.Key, ["runs"] = group.Count(),
                ["api_reads_per_s"] = BenchSupport.Round(Median(apiRates), 0), ["api_reads_per_s_min"] = BenchSupport.Round(apiRates.Min(), 0),
                ["api_reads_per_s_max"] = BenchSupport.Round(apiRates.Max(), 0),
                ["copy_reads_per_s"] = BenchSupport.Round(Median(copyRates), 0), ["copy_reads_per_s_min"] = BenchSupport.Round(copyRates.Min(), 0),
                ["copy_reads_per_s_max"] = BenchSupport.Round(copyRates.Max(), 0),
                ["ratio"] = BenchSupport.Round(Median(ratios), 3), ["ratio_min"] = BenchSupport.Round(ratios.Min(), 3), ["ratio_max"] = BenchSupport.Round(ratios.Max(), 3),
                ["p95_ms"] = BenchSupport.Round(Median(p95s)),
                ["runs_detail"] = new JsonArray([.. group.Select(r => (JsonNode)r.ToJson(sent))]),
            });
        }
        Console.WriteLine("targets: API ≥ 20,000 reads/s and ratio ≥ 0.60 at 2, 6 and 12 clients (issue 15)");
        json["by_clients"] = byClients;
        json["look_back"] = lookBackFigures;
        var everything = results.Select(r => r.ApiMachine).ToList();
        json["other_cpu_cores_max"] = BenchSupport.Round(everything.Max(m => m.OtherCores), 2);
        BenchSupport.WriteJson(args, Name, json, null);
        return failed ? 1 : 0;
    }

    private const int FleetSize = 200_000;

    private static async Task<Guid> CreateListAsync(HttpClient admin)
    {
        var response = await admin.PostAsJsonAsync("api/v1/plates/hotlists", new
        {
            name = "Bench listed by hand", kind = "agency", alertLevel = "medium", reason = "Stolen vehicle", owner = "Bench PD", visibility = "all-staff",
        });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }

    /// <summary>
    /// Lists a new plate (outside the fleet's, so no read matches it) every <paramref name="seconds"/> until cancelled, each request started
    /// on time whether or not the one before has answered (analysts do not wait for each other); returns how many, once all have answered.
    /// </summary>
    private static async Task<int> ListByHandAsync(HttpClient admin, Guid list, double seconds, CancellationToken ct)
    {
        var requests = new List<Task>();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds));
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
                requests.Add(admin.PostAsJsonAsync($"api/v1/plates/hotlists/{list}/entries",
                    new { plate = $"ZZ{Random.Shared.Next(1_000_000):D6}", reason = "Stolen vehicle" }, CancellationToken.None)
                    .ContinueWith(t => t.Result.EnsureSuccessStatusCode(), TaskScheduler.Default));
        }
        catch (OperationCanceledException)
        {
        }
        await Task.WhenAll(requests);
        return requests.Count;
    }

    private static double Median(List<double> values) => Stats.Percentile(values, 50);

    private sealed record RunFigures(int Clients, int Run, BatchRun Api, BatchRun Copy, long Stored, long Copied, long Hits, long Linked,
        MachineLoad.Figures ApiMachine, MachineLoad.Figures CopyMachine, List<double> HitAlertMilliseconds, int HotlistChanges)
    {
        /// <summary>CPU time of this process and the database's backends a read, during the API run (µs): what other work cannot inflate.</summary>
        public double ApiCpuMicroseconds(int sent) => (ApiMachine.BenchmarkCores + ApiMachine.DatabaseCores) * ApiMachine.Seconds / sent * 1e6;

        public double CopyCpuMicroseconds(int sent) => (CopyMachine.BenchmarkCores + CopyMachine.DatabaseCores) * CopyMachine.Seconds / sent * 1e6;

        public double ApiProcessMicroseconds(int sent) => ApiMachine.BenchmarkCores * ApiMachine.Seconds / sent * 1e6;

        public double ApiDatabaseMicroseconds(int sent) => ApiMachine.DatabaseCores * ApiMachine.Seconds / sent * 1e6;

        public double CopyProcessMicroseconds(int sent) => CopyMachine.BenchmarkCores * CopyMachine.Seconds / sent * 1e6;

        public double CopyDatabaseMicroseconds(int sent) => CopyMachine.DatabaseCores * CopyMachine.Seconds / sent * 1e6;

        public JsonObject ToJson(int sent)
        {
            var json = new JsonObject
            {
                ["run"] = Run, ["api_reads_per_s"] = BenchSupport.Round(sent / Api.Seconds, 0), ["copy_reads_per_s"] = BenchSupport.Round(sent / Copy.Seconds, 0),
                ["ratio"] = BenchSupport.Round(Copy.Seconds / Api.Seconds, 3), ["p50_ms"] = BenchSupport.Round(Stats.Percentile(Api.Latencies, 50)),
                ["p95_ms"] = BenchSupport.Round(Stats.Percentile(Api.Latencies, 95)), ["p99_ms"] = BenchSupport.Round(Stats.Percentile(Api.Latencies, 99)),
                ["max_ms"] = BenchSupport.Round(Api.Latencies.Max()), ["hotlist_changes"] = HotlistChanges, ["copy_p95_ms"] = BenchSupport.Round(Stats.Percentile(Copy.Latencies, 95)),
                ["api_cpu_us_per_read"] = BenchSupport.Round(ApiCpuMicroseconds(sent)), ["copy_cpu_us_per_read"] = BenchSupport.Round(CopyCpuMicroseconds(sent)),
                ["api_process_cpu_us_per_read"] = BenchSupport.Round(ApiProcessMicroseconds(sent)), ["api_database_cpu_us_per_read"] = BenchSupport.Round(ApiDatabaseMicroseconds(sent)),
                ["copy_process_cpu_us_per_read"] = BenchSupport.Round(CopyProcessMicroseconds(sent)), ["copy_database_cpu_us_per_read"] = BenchSupport.Round(CopyDatabaseMicroseconds(sent)),
                ["api_jit_ms"] = BenchSupport.Round(Api.JitMilliseconds), ["api_drain_ms"] = BenchSupport.Round(Api.DrainSeconds * 1000),
                ["shed"] = Api.Shed, ["stored"] = Stored, ["copied"] = Copied, ["hits"] = Hits, ["linked"] = Linked,
                ["hit_alert_p50_ms"] = HitAlertMilliseconds.Count > 0 ? BenchSupport.Round(Stats.Percentile(HitAlertMilliseconds, 50)) : null,
                ["hit_alert_p95_ms"] = HitAlertMilliseconds.Count > 0 ? BenchSupport.Round(Stats.Percentile(HitAlertMilliseconds, 95)) : null,
            };
            foreach (var (key, value) in ApiMachine.ToJson())
                json[key] = value?.DeepClone();
            json["copy_other_cpu_cores"] = BenchSupport.Round(CopyMachine.OtherCores, 2);
            return json;
        }
    }

    /// <summary>
    /// How long after its commit each hit of the run was handled by Alerts (the incident opened or joined, the notices pushed): the
    /// hit's outbox message is stamped in the ingestion transaction and marked delivered once every handler ran (ms).
    /// </summary>
    private static async Task<List<double>> HitAlertDelaysAsync(NpgsqlDataSource dataSource, DateTime since)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT extract(epoch FROM dispatched_at - created_at) * 1000 FROM plates.outbox_messages
            WHERE type = 'SafeCities.Modules.Plates.Contracts.HotlistHitEvent' AND created_at >= $1 AND dispatched_at IS NOT NULL
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = since, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        var delays = new List<double>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            delays.Add((double)reader.GetDecimal(0));
        return delays;
    }

    /// <summary>
    /// Opens <paramref name="count"/> gunshot incidents (the event Alerts publishes) at readers, at times within the reads' day and a half:
    /// the app's own handler arms the readers within its radius for the incident's window, so batches of those readers are linked.
    /// </summary>
    private static async Task<(int Incidents, long Readers)> ArmAsync(BenchHost host, NpgsqlDataSource dataSource,
        List<(Guid Id, string Key, double Lat, double Lon)> readers, int count, Random random)
    {
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < count; i++)
        {
            var at = readers[random.Next(readers.Count)];
            await using var scope = host.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IPublisher>().Publish(new IncidentOpenedEvent(Guid.CreateVersion7(), "gunshot", at.Lat, at.Lon,
                now.AddMinutes(-random.Next(60, 35 * 60)), 25));
        }
        var armedReaders = await BenchSupport.CountAsync(dataSource, "(SELECT DISTINCT reader_id FROM plates.reader_armings) a");
        return (count, armedReaders);
    }

    /// <summary>
    /// Reader r's batches in turn; after a reader's first batch, <paramref name="repeatPercent"/> % of each batch are reads of its previous
    /// batch sent again (as a reader does that missed an acknowledgement), placed after the batch's new reads.
    /// </summary>
    private static List<Batch> Generate(int readers, int total, int batchSize, string prefix, Random random, double repeatPercent)
    {
        var now = DateTimeOffset.UtcNow;
        var sequence = new int[readers];
        var previous = new Read[readers][];
        var batches = new List<Batch>();
        for (var done = 0; done < total; done += batchSize)
        {
            var reader = batches.Count % readers;
            var size = Math.Min(batchSize, total - done);
            var repeats = previous[reader] is { } before ? Math.Min(before.Length, (int)Math.Round(size * repeatPercent / 100)) : 0;
            var reads = new Read[size];
            for (var i = 0; i < size - repeats; i++)
            {
                var vehicle = random.Next(FleetSize);   // a city's vehicles: some plates pass many readers
                var seq = sequence[reader]++;
                reads[i] = new Read($"{prefix}-{reader}-{seq}", Plate(vehicle), vehicle % 10 == 0 ? "MD" : "DC",
                    now.AddSeconds(-random.Next(1, 36 * 3600)), Math.Round(0.6 + random.NextDouble() * 0.4, 3),
                    random.Next(5) == 0 ? null : Makes[vehicle % Makes.Length], random.Next(5) == 0 ? null : Models[vehicle % Models.Length],
                    Colors[vehicle % Colors.Length], $"s3://reads/{prefix}/{reader}/{seq}.jpg");
            }
            if (repeats > 0)
                foreach (var (read, i) in previous[reader]!.OrderBy(_ => random.Next()).Take(repeats).Select((r, i) => (r, i)))
                    reads[size - repeats + i] = read;
            previous[reader] = reads[..(size - repeats)];
            batches.Add(new Batch(reader, reads, size - repeats, JsonSerializer.SerializeToUtf8Bytes(new { reads }, JsonSerializerOptions.Web)));
        }
        return batches;
    }

    /// <summary>A vehicle's plate: the same vehicle number always gives the same plate.</summary>
    internal static string Plate(int vehicle)
    {
        Span<char> p = stackalloc char[7];
        for (var i = 0; i < 3; i++, vehicle /= 26)
            p[i] = (char)('A' + vehicle % 26);
        for (var i = 3; i < 7; i++, vehicle /= 10)
            p[i] = (char)('0' + (vehicle * 7 + i) % 10);
        return new string(p);
    }

    /// <summary>Client c drives readers c, c + clients, …, each reader's batches in order (as a reader uploads).</summary>
    private static Task<BatchRun> PostAllAsync(BenchHost host, List<(Guid Id, string Key, double Lat, double Lon)> readers, List<Batch> batches, int clients) =>
        BenchSupport.PostBatchesAsync(host.BaseAddress, "api/v1/plates/reads", batches, b => b.Reader, b => readers[b.Reader].Key, b => b.Json, clients);

    private static Task<BatchRun> CopyAllAsync(NpgsqlDataSource dataSource, List<(Guid Id, string Key, double Lat, double Lon)> readers, List<Batch> batches,
        int clients) =>
        BenchSupport.ByClientsAsync(batches, b => b.Reader, clients, async batch =>
        {
            var t = Stopwatch.GetTimestamp();
            var (readerId, _, lat, lon) = readers[batch.Reader];
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var copy = await connection.BeginBinaryImportAsync("""
                COPY plates.plate_reads (id, reader_id, read_id, plate, region, captured_at, received_at, confidence, make, model, color, image_ref,
                                         latitude, longitude) FROM STDIN (FORMAT BINARY)
                """))
            {
                var received = DateTime.UtcNow;
                foreach (var r in batch.Reads.Take(batch.Fresh))   // a COPY cannot take a repeat: the unique index refuses it
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                    await copy.WriteAsync(readerId, NpgsqlDbType.Uuid);
                    await copy.WriteAsync(r.ReadId, NpgsqlDbType.Varchar);
                    await copy.WriteAsync(r.Plate, NpgsqlDbType.Varchar);
                    await copy.WriteAsync(r.Region, NpgsqlDbType.Varchar);
                    await copy.WriteAsync(r.CapturedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(received, NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(r.Confidence, NpgsqlDbType.Double);
                    foreach (var text in (string?[])[r.Make, r.Model, r.Color, r.ImageRef])
                        if (text is null)
                            await copy.WriteNullAsync();
                        else
                            await copy.WriteAsync(text, NpgsqlDbType.Varchar);
                    await copy.WriteAsync(lat, NpgsqlDbType.Double);
                    await copy.WriteAsync(lon, NpgsqlDbType.Double);
                }
                await copy.CompleteAsync();
            }
            await transaction.CommitAsync();
            return Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        });
}
