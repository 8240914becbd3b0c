using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using SafeCities.Benchmarks.Nodes;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Benchmarks;

/// <summary>
/// <c>soak</c>: minutes of mixed load on one or more nodes sharing one database — plate reads at a fixed rate (open loop: a
/// batch is due on its schedule whether or not the previous one has returned; a share of batches is re-sent as a reader
/// does after a lost answer), located gunshots, audited plate searches, and many SignalR board clients — then prints
/// throughput, p50/p99 per path, the shed share, memory at the start and the end, and acknowledged vs stored reads.
/// The nodes are real app processes with their Hangfire servers on (<see cref="NodeCluster"/>), behind nginx, which every client
/// talks to; with more than one node they share a Redis as the SignalR backplane (one of their own unless --redis names one).
/// </summary>
internal static class SoakBenchmark
{
    public const string Name = "soak";
    private const double CenterLat = 38.87, CenterLon = -77.0;

    public static async Task<int> RunAsync(string[] args)
    {
        var minutes = BenchSupport.Arg(args, "--minutes", 10.0);
        var nodeCount = BenchSupport.Arg(args, "--nodes", 1);
        var rate = BenchSupport.Arg(args, "--rate", 1000.0);                     // plate reads per second, all readers together
        var batchSize = BenchSupport.Arg(args, "--batch", 50);
        var readerCount = BenchSupport.Arg(args, "--readers", 40);
        var boards = BenchSupport.Arg(args, "--boards", 200);
        var gunshotEvery = TimeSpan.FromSeconds(BenchSupport.Arg(args, "--gunshot-every", 5.0));
        var searchEvery = TimeSpan.FromSeconds(BenchSupport.Arg(args, "--search-every", 2.0));
        var redis = BenchSupport.Arg(args, "--redis");
        var logs = Path.Combine(Path.GetTempPath(), $"safecities-soak-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
        Console.Error.WriteLine($"starting {nodeCount} node(s) behind nginx{(nodeCount > 1 ? $", Redis {redis ?? "of their own"}" : "")}; logs in {logs}");
        await using var cluster = await NodeCluster.StartAsync(nodeCount, logs, Password, new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" },
            redis: redis);
        return await SoakAsync(cluster, minutes, rate, batchSize, readerCount, boards, gunshotEvery, searchEvery, args);
    }

    private const string Password = "Soak-password-123";

    private static async Task<int> SoakAsync(NodeCluster cluster, double minutes, double rate, int batchSize, int readerCount, int boards,
        TimeSpan gunshotEvery, TimeSpan searchEvery, string[] args)
    {
        var nodes = cluster.Nodes;
        using var admin = Client(cluster.BaseAddress, cluster.AdminKey);
        Console.Error.WriteLine($"registering {readerCount} plate readers and a gunshot feed…");
        var readers = await CityLoad.RegisterReadersAsync(admin, readerCount, CenterLat, CenterLon, "soak reader");
        var feedKey = await RegisterAsync(admin, SensorDeviceKinds.GunshotFeed, "soak feed", CenterLat, CenterLon, null);
        var (commanderKey, analystKey) = await CreateClientKeysAsync(cluster.BaseAddress);

        Console.Error.WriteLine($"connecting {boards} SignalR boards through nginx to {nodes.Count} node(s)…");
        var deliveries = new ConcurrentQueue<(Guid Incident, long At)>();
        var hubs = new List<HubConnection>();
        for (var b = 0; b < boards; b++)
        {
            var seen = new ConcurrentDictionary<Guid, byte>();
            // As the board does: WebSockets without negotiation, so nginx may pass each connection to any node.
            var hub = new HubConnectionBuilder().WithUrl(new Uri(cluster.BaseAddress, "hubs/incidents"), o =>
            {
                o.Headers["X-Api-Key"] = commanderKey;
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
            }).Build();
            hub.On<JsonElement>("IncidentChanged", i =>
            {
                var id = i.GetProperty("id").GetGuid();
                if (seen.TryAdd(id, 0))
                    deliveries.Enqueue((id, Stopwatch.GetTimestamp()));
            });
            await hub.StartAsync();
            hubs.Add(hub);
        }

        var memoryStart = Memory(nodes);
        var city = new CityLoad();
        var (plates, gunshots, searches) = (city.Reads, new PathStats(), city.Searches);
        var posted = new ConcurrentDictionary<Guid, long>();
        var clientsPerNode = 4;
        var clients = Enumerable.Range(0, clientsPerNode * nodes.Count).Select(_ => new HttpClient { BaseAddress = cluster.BaseAddress }).ToArray();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(minutes));
        var machine = MachineLoad.Start();
        var started = Stopwatch.GetTimestamp();
        Console.Error.WriteLine($"soak: {minutes} min, {rate:0} reads/s in batches of {batchSize}, a gunshot every {gunshotEvery.TotalSeconds:0.#} s, " +
                                $"a search every {searchEvery.TotalSeconds:0.#} s, {boards} boards, {nodes.Count} node(s)…");

        var progress = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try { await Task.Delay(TimeSpan.FromSeconds(30), stop.Token); } catch (OperationCanceledException) { break; }
                Console.Error.WriteLine($"  {Stopwatch.GetElapsedTime(started).TotalMinutes,4:0.0} / {minutes} min: {city.Acknowledged:N0} reads acknowledged, " +
                                        $"{gunshots.Ms.Count} gunshots, {searches.Ms.Count} searches; {string.Join(", ", Memory(nodes))}");
            }
        });

        var plateLoops = city.SendReads(clients, readers, rate, batchSize, "soak", stop.Token);

        var gunshotLoop = Task.Run(async () =>
        {
            var random = new Random(99);
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var (lat, lon) = GeoMath.Offset(CenterLat, CenterLon, 300 + random.Next(6000), random.Next(360));
                var body = JsonSerializer.SerializeToUtf8Bytes(new
                {
                    externalId = $"soak-{Guid.NewGuid():N}", occurredAt = DateTimeOffset.UtcNow, latitude = lat, longitude = lon, rounds = 1 + random.Next(8), source = "soak",
                });
                var t0 = Stopwatch.GetTimestamp();
                var answer = await CityLoad.SendForJsonAsync(clients[i % clients.Length], HttpMethod.Post, "api/v1/sensors/gunshots", feedKey, body, gunshots, stop.Token);
                if (answer?["incidentId"]?.GetValue<Guid>() is { } incident)
                    posted.TryAdd(incident, t0);
                await CityLoad.Delay(gunshotEvery, stop.Token);
            }
        });

        var searchLoop = city.SearchEvery(clients, analystKey, searchEvery, stop.Token);

        await Task.WhenAll([.. plateLoops, gunshotLoop, searchLoop, progress]);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var load = machine.Stop();
        await Task.Delay(TimeSpan.FromSeconds(3));     // the last pushes
        var memoryEnd = Memory(nodes);
        var stored = await cluster.Database.CountAsync("SELECT count(*) FROM plates.plate_reads");
        foreach (var hub in hubs)
            await hub.DisposeAsync();
        foreach (var http in clients)
            http.Dispose();

        var pushMs = deliveries.Where(d => posted.ContainsKey(d.Incident))
            .Select(d => Stopwatch.GetElapsedTime(posted[d.Incident], d.At).TotalMilliseconds).ToList();
        var expectedDeliveries = (long)posted.Count * boards;
        var requests = plates.Ms.Count + gunshots.Ms.Count + searches.Ms.Count;
        var shed = plates.Shed + gunshots.Shed + searches.Shed;
        var report = new JsonObject
        {
            ["benchmark"] = Name, ["nodes"] = nodes.Count, ["balancer"] = "nginx", ["backplane"] = cluster.RedisConfiguration is null ? "none" : "redis",
            ["hangfire_servers"] = nodes.Count, ["cores"] = Environment.ProcessorCount,
            ["minutes"] = Math.Round(elapsed / 60, 2),
            ["plate_reads_per_second_target"] = rate, ["plate_reads_per_second"] = Math.Round(city.Acknowledged / elapsed, 1),
            ["requests_per_second"] = Math.Round(requests / elapsed, 1),
            ["paths"] = new JsonObject
            {
                ["POST /api/v1/plates/reads"] = PathJson(plates), ["POST /api/v1/sensors/gunshots"] = PathJson(gunshots),
                ["GET /api/v1/plates/search"] = PathJson(searches),
                ["gunshot post → IncidentChanged on each board"] = Percentiles(pushMs),
            },
            ["push_deliveries"] = pushMs.Count, ["push_deliveries_expected"] = expectedDeliveries,
            ["shed_share"] = requests + shed == 0 ? 0 : Math.Round((double)shed / (requests + shed), 4),
            ["memory_start"] = MemoryJson(memoryStart), ["memory_end"] = MemoryJson(memoryEnd),
            ["reads_acknowledged"] = city.Acknowledged, ["reads_stored"] = stored, ["batches_resent"] = city.Resent,
            ["failed_requests"] = plates.Failed + gunshots.Failed + searches.Failed,
        };
        var lost = city.Acknowledged != stored;
        BenchSupport.WriteJson(args, Name, report, load);
        {
            Console.WriteLine($"SafeCities soak: {elapsed / 60:0.0} min on {nodes.Count} node(s) behind nginx (backplane {report["backplane"]}, a Hangfire server per node), " +
                              $"{Environment.ProcessorCount} cores, load average {load.LoadAverageEnd}; nodes, nginx, clients and PostgreSQL on this machine");
            Console.WriteLine($"plate reads: {report["plate_reads_per_second"]} /s acknowledged (target {rate:0}); {requests / elapsed:0.0} requests/s; shed share {report["shed_share"]}");
            Console.WriteLine(Stats.Summary("POST /api/v1/plates/reads", [.. plates.Ms]));
            Console.WriteLine(Stats.Summary("POST /api/v1/sensors/gunshots", [.. gunshots.Ms]));
            Console.WriteLine(Stats.Summary("GET /api/v1/plates/search", [.. searches.Ms]));
            Console.WriteLine(Stats.Summary("gunshot post → IncidentChanged on each board", pushMs));
            Console.WriteLine(load);
            Console.WriteLine($"push deliveries {pushMs.Count} of {expectedDeliveries}; memory start: {string.Join(", ", memoryStart)}; end: {string.Join(", ", memoryEnd)}");
            Console.WriteLine($"reads acknowledged {report["reads_acknowledged"]}, stored {stored}{(lost ? "  MISMATCH" : "")}; {city.Resent} batches re-sent (idempotent); " +
                              $"{report["failed_requests"]} failed requests");
        }
        return lost || pushMs.Count < expectedDeliveries || (int)report["failed_requests"]! > 0 ? 1 : 0;
    }

    private readonly record struct MemorySample(string Node, double ResidentMb)
    {
        public override string ToString() => $"{Node} {ResidentMb:0} MB resident";
    }

    /// <summary>Each node process's resident memory (VmRSS), as the operating system sees it.</summary>
    private static List<MemorySample> Memory(IReadOnlyList<AppProcess> nodes) =>
        [.. nodes.Select(n => new MemorySample(n.Name, ResidentKb(n.Pid) / 1024.0))];

    private static long ResidentKb(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    private static JsonArray MemoryJson(List<MemorySample> m) =>
        [.. m.Select(s => (JsonNode)new JsonObject { ["node"] = s.Node, ["resident_mb"] = Math.Round(s.ResidentMb) })];

    private static JsonObject PathJson(PathStats s)
    {
        var j = Percentiles([.. s.Ms]);
        j["shed"] = s.Shed;
        j["failed"] = s.Failed;
        return j;
    }

    private static JsonObject Percentiles(IReadOnlyList<double> ms) => new()
    {
        ["count"] = ms.Count, ["p50_ms"] = Round(Stats.Percentile(ms, 50)), ["p99_ms"] = Round(Stats.Percentile(ms, 99)),
        ["max_ms"] = ms.Count == 0 ? null : Math.Round(ms.Max(), 1),
    };

    private static double? Round(double v) => double.IsNaN(v) ? null : Math.Round(v, 1);


    private static HttpClient Client(Uri baseAddress, string key)
    {
        var http = new HttpClient { BaseAddress = baseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        return http;
    }

    private static async Task<string> RegisterAsync(HttpClient admin, string kind, string name, double lat, double lon, object? deviceSettings)
    {
        var response = await admin.PostAsJsonAsync("api/v1/devices", new { kind, name, latitude = lat, longitude = lon, elevationMeters = 5.0, settings = deviceSettings });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["apiKey"]!.GetValue<string>();
    }

    /// <summary>A commander's and an analyst's API client, created as an administrator does it: signed in, on the API clients page.</summary>
    private static async Task<(string Commander, string Analyst)> CreateClientKeysAsync(Uri baseAddress)
    {
        using var admin = await BenchSession.SignInAsync(baseAddress, "admin@safecities.test", Password);
        async Task<string> CreateAsync(string role)
        {
            var page = await admin.Http.GetStringAsync("Admin/ApiClients");
            var created = await admin.Http.PostAsync("Admin/ApiClients?handler=Create", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.Name"] = $"soak {role}", ["Input.Role"] = role, ["__RequestVerificationToken"] = BenchSession.AntiforgeryToken(page),
            }));
            var match = Regex.Match(await created.Content.ReadAsStringAsync(), "user-select-all\">([^<]+)</code>");
            return match.Success ? match.Groups[1].Value : throw new InvalidOperationException($"no {role} key was created: {(int)created.StatusCode}");
        }
        return (await CreateAsync(Roles.Commander), await CreateAsync(Roles.Analyst));
    }

}
