using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace SafeCities.Benchmarks;

/// <summary>
/// What the benchmarks share: their options (<see cref="Arg(string[], string, int)"/> and its overloads), the machine's other load during a
/// run (<see cref="MachineLoad"/>), the <c>--json &lt;file&gt;</c> figures (<see cref="WriteJson"/>) and a few statements on the bench database.
/// </summary>
internal static class BenchSupport
{
    /// <summary>The whole number after <paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public static int Arg(string[] args, string name, int fallback) =>
        Arg(args, name) is { } text && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;

    /// <summary>The number after <paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public static double Arg(string[] args, string name, double fallback) =>
        Arg(args, name) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : fallback;

    /// <summary>The whole numbers after <paramref name="name"/>, comma-separated (<c>--clients 2,6,12</c>), or <paramref name="fallback"/>.</summary>
    public static int[] Arg(string[] args, string name, int[] fallback)
    {
        if (Arg(args, name) is not { } text)
            return fallback;
        var values = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : -1).ToArray();
        return values.Length > 0 && values.All(v => v > 0) ? values : fallback;
    }

    /// <summary>The text after <paramref name="name"/> (not another option), or null.</summary>
    public static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[i + 1] : null;
    }

    /// <summary>The file <c>--json &lt;file&gt;</c> names (<c>-</c>: standard output), or null.</summary>
    public static string? JsonPath(string[] args) => Arg(args, "--json");

    /// <summary>
    /// Writes <paramref name="figures"/> as one JSON object to the file <c>--json &lt;file&gt;</c> names (nothing without it), with
    /// <c>benchmark</c>, <c>cores</c> and <paramref name="load"/>'s figures added (README, Benchmarks: the names).
    /// </summary>
    public static void WriteJson(string[] args, string benchmark, object figures, MachineLoad.Figures? load)
    {
        if (JsonPath(args) is not { } path)
            return;
        var node = figures as JsonObject ?? JsonSerializer.SerializeToNode(figures, Names)!.AsObject();
        var json = new JsonObject { ["benchmark"] = benchmark, ["cores"] = Environment.ProcessorCount };
        if (load is { } l)
            foreach (var (key, value) in l.ToJson())
                json[key] = value?.DeepClone();
        foreach (var (key, value) in node)
            json[key] = value?.DeepClone();
        var text = json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        if (path == "-")
            Console.WriteLine(text);
        else
        {
            File.WriteAllText(path, text + Environment.NewLine);
            Console.Error.WriteLine($"figures written to {path}");
        }
    }

    /// <summary>How figures given as objects are named in the JSON: snake_case (<c>p95_ms</c>); NaN as a string.</summary>
    private static readonly JsonSerializerOptions Names = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Percentiles of <paramref name="ms"/> for the JSON (<c>n</c>, <c>p50_ms</c>, <c>p95_ms</c>, <c>p99_ms</c>, <c>max_ms</c>).</summary>
    public static JsonObject Latency(IReadOnlyList<double> ms) => new()
    {
        ["n"] = ms.Count, ["p50_ms"] = Round(Stats.Percentile(ms, 50)), ["p95_ms"] = Round(Stats.Percentile(ms, 95)),
        ["p99_ms"] = Round(Stats.Percentile(ms, 99)), ["max_ms"] = ms.Count == 0 ? null : Round(ms.Max()),
    };

    /// <summary>A figure rounded for the JSON (NaN, which JSON cannot hold, becomes null).</summary>
    public static JsonNode? Round(double value, int digits = 1) => double.IsFinite(value) ? JsonValue.Create(Math.Round(value, digits)) : null;

    /// <summary>Runs each statement of <paramref name="sql"/> (separated by semicolons) outside a transaction (VACUUM needs that).</summary>
    public static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        foreach (var statement in sql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            await using var command = dataSource.CreateCommand(statement);
            command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync();
        }
    }

    public static async Task<long> CountAsync(NpgsqlDataSource dataSource, string table)
    {
        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM {table}");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public static async Task<string> ScalarAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Client c sends the batches of devices c, c + clients, … in order (as each device uploads its own), all clients at once;
    /// <paramref name="send"/> sends one batch and answers its latency in ms. The run's time is from the first send to the last answer.
    /// </summary>
    public static async Task<BatchRun> ByClientsAsync<T>(IReadOnlyList<T> batches, Func<T, int> device, int clients, Func<T, Task<double>> send)
    {
        var latencies = new List<double>[clients];
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            latencies[c] = [];
            foreach (var batch in batches.Where(b => device(b) % clients == c))
                latencies[c].Add(await send(batch));
        })));
        return new BatchRun(Stopwatch.GetElapsedTime(started).TotalSeconds, latencies.SelectMany(l => l).ToList());
    }

    /// <summary>
    /// POSTs each batch's JSON to <paramref name="path"/> with its device's key, by clients as <see cref="ByClientsAsync{T}"/>: a 429 or 503
    /// waits as the answer asks and is sent again (counted in <see cref="BatchRun.Shed"/>; the latency is that of the accepted send); any
    /// other answer than 200 stops the benchmark.
    /// </summary>
    public static async Task<BatchRun> PostBatchesAsync<T>(Uri baseAddress, string path, IReadOnlyList<T> batches, Func<T, int> device,
        Func<T, string> key, Func<T, byte[]> json, int clients)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        var shed = 0;
        var run = await ByClientsAsync(batches, device, clients, async batch =>
        {
            while (true)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(json(batch)) };
                request.Content.Headers.ContentType = new("application/json");
                request.Headers.Add("X-Api-Key", key(batch));
                var t = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                if (response.StatusCode is System.Net.HttpStatusCode.TooManyRequests or System.Net.HttpStatusCode.ServiceUnavailable)
                {
                    Interlocked.Increment(ref shed);
                    await Task.Delay(TimeSpan.FromSeconds(response.Headers.RetryAfter?.Delta?.TotalSeconds ?? 1));
                    continue;
                }
                var latency = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                if (response.StatusCode != System.Net.HttpStatusCode.OK)
                    throw new InvalidOperationException($"batch refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                return latency;
            }
        });
        return run with { Shed = shed };
    }

    /// <summary>
    /// Waits until every module's outbox has delivered what is due (no row pending but failed or backing off): the work a run left
    /// to the outbox's workers (hits' alerts, armed readers' reports, the reactions to the incidents they open) belongs to the run,
    /// so its clock stops when that work is done, not at the last answer. Returns the seconds waited (at most 60).
    /// </summary>
    public static async Task<double> DrainOutboxesAsync(NpgsqlDataSource dataSource)
    {
        var started = Stopwatch.GetTimestamp();
        await using var connection = await dataSource.OpenConnectionAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT format('%I.%I', table_schema, table_name) FROM information_schema.tables WHERE table_name = 'outbox_messages'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                tables.Add(reader.GetString(0));
        var pending = string.Join(" + ", tables.Select(t => $"(SELECT count(*) FROM {t} WHERE dispatched_at IS NULL AND failed_at IS NULL AND attempts = 0)"));
        await using var count = new NpgsqlCommand($"SELECT {pending}", connection);
        while ((long)(await count.ExecuteScalarAsync())! > 0 && Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(60))
            await Task.Delay(5);
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>The commit durability a figure was measured with, as the database's sessions see it ("fsync=on, synchronous_commit=on").</summary>
    public static async Task<string> DurabilityAsync(NpgsqlDataSource dataSource) =>
        $"fsync={await ScalarAsync(dataSource, "SHOW fsync")}, synchronous_commit={await ScalarAsync(dataSource, "SHOW synchronous_commit")}";
}

/// <summary>How long a run of batches took, each batch's latency (ms), and how many sends were shed (429/503) and sent again.</summary>
internal sealed record BatchRun(double Seconds, List<double> Latencies, int Shed = 0)
{
    /// <summary>Time the runtime spent compiling methods during the run (ms; NaN when not measured).</summary>
    public double JitMilliseconds { get; init; } = double.NaN;

    /// <summary>Of <see cref="Seconds"/>, the time the outboxes took after the last answer to deliver what the run left them (0 when not waited for).</summary>
    public double DrainSeconds { get; init; }
}

/// <summary>
/// The machine's load while a figure is measured, from /proc: the load average at the start and the end, and the CPU the whole machine
/// used (/proc/stat) split into this benchmark — its process and the processes it started (the Chromium that draws the board: Playwright's
/// driver and the browser's processes, alive or ended) — the PostgreSQL backends serving its database (their /proc/PID/stat, when
/// <see cref="Start"/> is given the database) and the rest: other work on the machine. A noisy run shows as such.
/// </summary>
internal sealed class MachineLoad
{
    private readonly NpgsqlDataSource? database;
    private readonly string loadBefore;
    private readonly long machineBusyBefore, machineTotalBefore;
    private readonly double selfBefore;
    private readonly Dictionary<int, double> databaseBefore;
    private readonly long started;

    private MachineLoad(NpgsqlDataSource? database, Dictionary<int, double> databaseBefore)
    {
        this.database = database;
        this.databaseBefore = databaseBefore;
        loadBefore = Stats.LoadAverage();
        (machineBusyBefore, machineTotalBefore) = MachineJiffies();
        selfBefore = OwnCpuSeconds();
        started = Stopwatch.GetTimestamp();
    }

    /// <param name="database">The benchmark's database, whose backends' CPU is counted as the benchmark's own (null: none).</param>
    public static async Task<MachineLoad> StartAsync(NpgsqlDataSource? database = null) =>
        new(database, database is null ? [] : await DatabaseCpuSecondsAsync(database));

    public static MachineLoad Start() => new(null, []);

    /// <summary>CPU use as cores busy on average (0–<c>cores</c>) over the run.</summary>
    public sealed record Figures(double Seconds, string LoadAverageStart, string LoadAverageEnd, double MachineCores, double BenchmarkCores,
        double DatabaseCores, double OtherCores)
    {
        public override string ToString() =>
            $"machine during the run ({Environment.ProcessorCount} cores, from /proc): load average {LoadAverageStart} → {LoadAverageEnd} (1/5/15 min); " +
            $"CPU busy {MachineCores:0.00} cores = this benchmark {BenchmarkCores:0.00} + its PostgreSQL backends {DatabaseCores:0.00} + " +
            $"other work {OtherCores:0.00}{(OtherCores > 0.25 ? "  (NOISY: other work on the machine during this run)" : "")}";

        public JsonObject ToJson() => new()
        {
            ["load_average_start"] = LoadAverageStart, ["load_average_end"] = LoadAverageEnd,
            ["machine_cpu_cores"] = BenchSupport.Round(MachineCores, 2), ["benchmark_cpu_cores"] = BenchSupport.Round(BenchmarkCores, 2),
            ["database_cpu_cores"] = BenchSupport.Round(DatabaseCores, 2), ["other_cpu_cores"] = BenchSupport.Round(OtherCores, 2),
        };
    }

    public async Task<Figures> StopAsync()
    {
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var (busy, total) = MachineJiffies();
        // Per backend, since the start (or its birth); a backend that ended meanwhile is lost (an undercount, never negative).
        var db = database is null ? 0 : (await DatabaseCpuSecondsAsync(database)).Sum(b => b.Value - databaseBefore.GetValueOrDefault(b.Key));
        var self = OwnCpuSeconds() - selfBefore;
        // /proc/stat counts all cores: busy share × cores = cores busy on average.
        var machine = total > machineTotalBefore ? (double)(busy - machineBusyBefore) / (total - machineTotalBefore) * Environment.ProcessorCount : 0;
        var benchmark = seconds > 0 ? self / seconds : 0;
        var dbCores = seconds > 0 ? db / seconds : 0;
        return new Figures(seconds, loadBefore, Stats.LoadAverage(), machine, benchmark, dbCores, Math.Max(0, machine - benchmark - dbCores));
    }

    public Figures Stop() => StopAsync().GetAwaiter().GetResult();

    /// <summary>
    /// CPU seconds used so far by this process and every process it started, directly or not (/proc/PID/stat's parent links), with those that
    /// ended and were waited for (this process's cutime and cstime): Chromium's load during a latency run is the benchmark's, not other work.
    /// </summary>
    private static double OwnCpuSeconds()
    {
        var self = Environment.ProcessId;
        var stats = new Dictionary<int, (int Parent, double Seconds)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            try
            {
                var f = Fields(File.ReadAllText($"{dir}/stat"));
                stats[pid] = (int.Parse(f[1], CultureInfo.InvariantCulture), Ticks(f[11]) + Ticks(f[12]));
            }
            catch (IOException)
            {
                // ended meanwhile
            }
        }
        bool Ours(int pid)
        {
            for (var p = pid; stats.TryGetValue(p, out var s) && s.Parent > 1; p = s.Parent)
                if (s.Parent == self)
                    return true;
            return false;
        }
        var own = Fields(File.ReadAllText("/proc/self/stat"));   // utime, stime, and the children's that ended: cutime, cstime
        return own[11..15].Sum(Ticks) + stats.Where(p => p.Key != self && Ours(p.Key)).Sum(p => p.Value.Seconds);
    }

    /// <summary>/proc/PID/stat's fields after the parenthesised name (which may hold spaces): state, ppid, … utime (11), stime (12), cutime (13),
    /// cstime (14).</summary>
    private static string[] Fields(string stat) => stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

    /// <summary>Seconds of a CPU-time field (100 ticks a second).</summary>
    private static double Ticks(string field) => long.Parse(field, CultureInfo.InvariantCulture) / 100.0;

    /// <summary>Busy and total jiffies of all cores (/proc/stat's first line; busy = total − idle − iowait).</summary>
    private static (long Busy, long Total) MachineJiffies()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var total = fields.Take(8).Sum();   // user nice system idle iowait irq softirq steal (guest is inside user)
            return (total - fields[3] - fields[4], total);
        }
        catch (IOException)
        {
            return (0, 0);
        }
    }

    /// <summary>CPU seconds used so far by each PostgreSQL backend (by process id) serving <paramref name="database"/> (from /proc).</summary>
    private static async Task<Dictionary<int, double>> DatabaseCpuSecondsAsync(NpgsqlDataSource database)
    {
        await using var command = database.CreateCommand("SELECT pid FROM pg_stat_activity WHERE datname = current_database()");
        await using var reader = await command.ExecuteReaderAsync();
        var seconds = new Dictionary<int, double>();
        while (await reader.ReadAsync())
        {
            try
            {
                var pid = reader.GetInt32(0);
                var fields = Fields(await File.ReadAllTextAsync($"/proc/{pid}/stat"));
                seconds[pid] = Ticks(fields[11]) + Ticks(fields[12]);
            }
            catch (IOException)
            {
                // the backend ended meanwhile
            }
        }
        return seconds;
    }
}
