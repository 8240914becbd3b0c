using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;
using Npgsql;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Benchmarks;

/// <summary>
/// Detection to screen and to the city's reaction, while the city is busy. Posts located gunshot alerts (device key, HTTP) at places with
/// streetlights, cameras and plate readers around them — each a new incident, and after every second one a further alert 50 m away that
/// joins the incident just opened — and measures from the post to: the HTTP acceptance (baseline), the incident pushed to a subscribed
/// SignalR client (a), every module (Lighting, Video, Plates) reported on the incident's timeline (b, new incidents), and the incident's
/// row drawn (new) or redrawn (joined) on a signed-in Chromium command board. Meanwhile the city is busy (unless <c>--background-reads 0</c>):
/// plate readers send <c>--background-reads</c> reads a second through the API and an analyst searches plates every
/// <c>--search-every</c> seconds (<see cref="CityLoad"/>, as the soak does). Then pulse sets: acoustic sensors post their pulses one by one
/// and the time from the completing post to the located incident's push is measured (on the same busy city).
/// </summary>
internal static class LatencyBenchmark
{
    private static readonly string[] ReactingModules = ["Lighting", "Video", "Plates"];
    private const double CenterLat = 38.853, CenterLon = -76.993;
    private const double BoardP99TargetMs = 100, ReactionsP99TargetMs = 250;

    public static async Task<int> RunAsync(string[] args)
    {
        var count = BenchSupport.Arg(args, "--count", 200);
        var joinEvery = BenchSupport.Arg(args, "--join-every", 2);
        var pulseSets = BenchSupport.Arg(args, "--pulses", 20);
        var backgroundRate = BenchSupport.Arg(args, "--background-reads", 10_000.0);
        // 400 readers at 10,000 reads/s is 25 reads/s (90,000 an hour) each, a busy multi-lane road at its peak; 40 (the first busy runs)
        // made each reader send 250 a second, which no camera sees, and every incident near one link tens of thousands of reads.
        var readerCount = BenchSupport.Arg(args, "--readers", 400);
        var searchEvery = TimeSpan.FromSeconds(BenchSupport.Arg(args, "--search-every", 1.0));
        const int warmUp = 2;
        var chromium = Environment.GetEnvironmentVariable("SAFECITIES_CHROMIUM") ?? "/usr/bin/chromium";
        await using var host = await BenchHost.StartAsync();
        using var admin = Client(host, host.AdminKey);
        var feedKey = (await RegisterAsync(admin, "gunshot-feed", "bench feed", CenterLat, CenterLon))["apiKey"]!.GetValue<string>();
        using var device = Client(host, feedKey);

        var pushed = new ConcurrentDictionary<Guid, ConcurrentQueue<long>>();
        var reported = new ConcurrentDictionary<(Guid, string), long>();
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(host.BaseAddress, "hubs/incidents"), o => o.Headers["X-Api-Key"] = host.AdminKey).Build();
        hub.On<JsonElement>("IncidentChanged", i => pushed.GetOrAdd(i.GetProperty("id").GetGuid(), _ => new()).Enqueue(Stopwatch.GetTimestamp()));
        hub.On<JsonElement>("TimelineAppended", t => reported.TryAdd((t.GetProperty("incidentId").GetGuid(), t.GetProperty("module").GetString()!), Stopwatch.GetTimestamp()));
        await hub.StartAsync();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium, Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
        var page = await SignedInBoardAsync(browser, host);

        // The places: a square grid 400 m apart (further than an incident's joining distance), each with its lights, cameras and reader.
        Console.Error.WriteLine($"registering devices around {count + warmUp} places…");
        var side = (int)Math.Ceiling(Math.Sqrt(count + warmUp));
        var places = Enumerable.Range(0, count + warmUp).Select(i =>
        {
            var (rowLat, rowLon) = GeoMath.Offset(CenterLat, CenterLon, 400 * (i / side), 180);
            return GeoMath.Offset(rowLat, rowLon, 400 * (i % side), 90);
        }).ToList();
        foreach (var (lat, lon) in places)
            await SurroundAsync(admin, lat, lon);

        // The busy city around the measurement: plate readers across the same area and an analyst's searches, through the API.
        var city = new CityLoad();
        using var stopCity = new CancellationTokenSource();
        var cityClients = Enumerable.Range(0, 4).Select(_ => new HttpClient { BaseAddress = host.BaseAddress }).ToArray();
        var cityTasks = new List<Task>();
        if (backgroundRate > 0)
        {
            var readers = await CityLoad.RegisterReadersAsync(admin, readerCount, CenterLat - 0.01, CenterLon + 0.01, "busy reader");
            Console.Error.WriteLine($"the busy city: {backgroundRate:N0} plate reads/s from {readers.Count} readers ({backgroundRate / readers.Count:N0} a second each), " +
                                    $"a plate search every {searchEvery.TotalSeconds:0.#} s…");
            cityTasks.AddRange(city.SendReads(cityClients, readers, backgroundRate, 250, "busy", stopCity.Token));
            cityTasks.Add(city.SearchEvery(cityClients, host.AdminKey, searchEvery, stopCity.Token));
            await Task.Delay(TimeSpan.FromSeconds(5));   // the load under way before the first sample
        }

        var (http, toPush, toReactions, toScreen) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        var (joinHttp, joinPush, joinScreen) = (new List<double>(), new List<double>(), new List<double>());
        var notJoined = 0;
        var toModule = ReactingModules.ToDictionary(m => m, _ => new List<double>());   // where the reactions' time goes
        await using var database = NpgsqlDataSource.Create(host.ConnectionString);
        var machine = await MachineLoad.StartAsync(database);   // the app's PostgreSQL backends are the benchmark's own, not other work
        var cityStarted = (Acknowledged: city.Acknowledged, At: Stopwatch.GetTimestamp());
        for (var i = 0; i < places.Count; i++)
        {
            var measured = i >= warmUp;
            var (lat, lon) = places[i];
            var sample = await PostAlertAsync(device, page, pushed, $"bench-{i}", lat, lon, incident: null);
            var allReported = await WaitAsync(() => ReactingModules.All(m => reported.ContainsKey((sample.Incident, m))), TimeSpan.FromSeconds(10));
            if (measured)
            {
                sample.AddTo(http, toPush, toScreen);
                if (allReported)
                    toReactions.Add(Stopwatch.GetElapsedTime(sample.Started, ReactingModules.Max(m => reported[(sample.Incident, m)])).TotalMilliseconds);
                foreach (var m in ReactingModules)
                    if (reported.TryGetValue((sample.Incident, m), out var at))
                        toModule[m].Add(Stopwatch.GetElapsedTime(sample.Started, at).TotalMilliseconds);
            }
            await Task.Delay(200);
            if (!measured || joinEvery <= 0 || (i - warmUp) % joinEvery != joinEvery - 1)
                continue;
            // A second detection 50 m away joins the incident just opened: its row is redrawn and pushed again.
            var (jLat, jLon) = GeoMath.Offset(lat, lon, 50, 45);
            var joined = await PostAlertAsync(device, page, pushed, $"bench-{i}-join", jLat, jLon, incident: sample.Incident);
            if (joined.Incident == sample.Incident)
                joined.AddTo(joinHttp, joinPush, joinScreen);
            else
                notJoined++;
            await Task.Delay(200);
        }

        var pulses = await PulseSetsAsync(admin, host, pushed, pulseSets, warmUp);
        var load = await machine.StopAsync();
        var elapsed = Stopwatch.GetElapsedTime(cityStarted.At).TotalSeconds;
        var backgroundAchieved = (city.Acknowledged - cityStarted.Acknowledged) / elapsed;
        await stopCity.CancelAsync();
        await Task.WhenAll(cityTasks);
        foreach (var c in cityClients)
            c.Dispose();

        var board = toScreen.Concat(joinScreen).ToList();
        Console.WriteLine($"SafeCities latency, {count} new incidents ({joinHttp.Count} joined by a second alert) and {pulses.Count} pulse sets (after {warmUp} warm-ups each), " +
                          $"app + PostgreSQL + Chromium on this machine ({Environment.ProcessorCount} cores):");
        Console.WriteLine(backgroundRate > 0
            ? $"while the city is busy: {backgroundAchieved:N0} plate reads/s acknowledged from {readerCount} readers (target {backgroundRate:N0}; {city.Reads.Shed} batches shed and re-sent, " +
              $"{city.Reads.Failed} failed), {city.Searches.Ms.Count} plate searches ({city.Searches.Failed} failed)"
            : "on an idle city (--background-reads 0)");
        Console.WriteLine(Stats.Summary("alert: HTTP POST → 201 accepted (baseline)", http));
        Console.WriteLine(Stats.Summary("alert: POST → incident pushed over SignalR (a)", toPush));
        Console.WriteLine(Stats.Summary("alert: POST → lights, cameras, readers on timeline (b)", toReactions));
        foreach (var m in ReactingModules)
            Console.WriteLine(Stats.Summary($"  of which POST → {m}'s first report on the timeline", toModule[m]));
        Console.WriteLine(Stats.Summary("alert: POST → row drawn on the Chromium board", toScreen));
        Console.WriteLine(Stats.Summary("joining alert: HTTP POST → accepted", joinHttp));
        Console.WriteLine(Stats.Summary("joining alert: POST → incident pushed again", joinPush));
        Console.WriteLine(Stats.Summary("joining alert: POST → row redrawn on the board", joinScreen));
        Console.WriteLine(Stats.Summary("board row, new and joined together", board));
        Console.WriteLine(Stats.Summary("pulses: completing POST → incident pushed (a)", pulses));
        if (backgroundRate > 0)
        {
            Console.WriteLine(Stats.Summary("busy city: POST /api/v1/plates/reads (250 reads)", [.. city.Reads.Ms]));
            Console.WriteLine(Stats.Summary("busy city: GET /api/v1/plates/search", [.. city.Searches.Ms]));
        }
        Console.WriteLine($"ratios of p50 to the HTTP baseline: pushed {Ratio(toPush, http)}, reactions {Ratio(toReactions, http)}, board {Ratio(toScreen, http)}");
        Console.WriteLine($"targets: board row p99 < {BoardP99TargetMs} ms: {Verdict(board, BoardP99TargetMs)}; every reaction on the timeline p99 < {ReactionsP99TargetMs} ms: " +
                          Verdict(toReactions, ReactionsP99TargetMs));
        Console.WriteLine(load);
        BenchSupport.WriteJson(args, "latency", new
        {
            count, JoinedCount = joinHttp.Count, BackgroundReaders = backgroundRate > 0 ? readerCount : 0, BackgroundReadsPerSTarget = backgroundRate, BackgroundReadsPerS = Math.Round(backgroundAchieved, 1),
            BackgroundShed = city.Reads.Shed, BackgroundFailed = city.Reads.Failed, Searches = BenchSupport.Latency([.. city.Searches.Ms]),
            BackgroundReadBatches = BenchSupport.Latency([.. city.Reads.Ms]),
            AlertHttp = BenchSupport.Latency(http), AlertPushed = BenchSupport.Latency(toPush), AlertReactions = BenchSupport.Latency(toReactions),
            AlertReactionsByModule = ReactingModules.ToDictionary(m => m, m => BenchSupport.Latency(toModule[m])),
            AlertBoard = BenchSupport.Latency(toScreen), JoinHttp = BenchSupport.Latency(joinHttp), JoinPushed = BenchSupport.Latency(joinPush),
            JoinBoard = BenchSupport.Latency(joinScreen), Board = BenchSupport.Latency(board), PulsesPushed = BenchSupport.Latency(pulses),
        }, load);
        var expectedJoins = joinEvery <= 0 ? 0 : count / joinEvery;
        var complete = toPush.Count == count && toReactions.Count == count && toScreen.Count == count && pulses.Count == pulseSets
                       && joinScreen.Count == expectedJoins && joinPush.Count == expectedJoins && notJoined == 0;
        if (!complete)
            Console.WriteLine($"INCOMPLETE: pushed {toPush.Count}, reactions {toReactions.Count}, board {toScreen.Count} of {count}; joined {joinHttp.Count} " +
                              $"(pushed {joinPush.Count}, redrawn {joinScreen.Count}, {notJoined} opened an incident of their own) of {expectedJoins}; pulse sets {pulses.Count} of {pulseSets}");
        return complete ? 0 : 1;
    }

    /// <summary>One alert's times from its post (HTTP acceptance, its incident's next push, its row's next drawing on the board).</summary>
    private sealed record AlertSample(Guid Incident, long Started, double HttpMs, double? PushMs, double? ScreenMs)
    {
        public void AddTo(List<double> http, List<double> push, List<double> screen)
        {
            http.Add(HttpMs);
            if (PushMs is { } p)
                push.Add(p);
            if (ScreenMs is { } s)
                screen.Add(s);
        }
    }

    /// <summary>
    /// Posts a located gunshot alert and waits (up to 5 s each) for its incident's next push and the next drawing of its row on the board:
    /// for a new incident the row's first appearance, for one it joins (<paramref name="incident"/>) the row redrawn after the post.
    /// </summary>
    private static async Task<AlertSample> PostAlertAsync(HttpClient device, IPage page, ConcurrentDictionary<Guid, ConcurrentQueue<long>> pushed,
        string externalId, double lat, double lon, Guid? incident)
    {
        var pushesBefore = incident is { } known && pushed.TryGetValue(known, out var q) ? q.Count : 0;
        var postedWall = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).TotalMilliseconds;
        var started = Stopwatch.GetTimestamp();
        var response = await device.PostAsJsonAsync("api/v1/sensors/gunshots", new
        {
            externalId, occurredAt = DateTimeOffset.UtcNow, latitude = lat, longitude = lon, rounds = 3, source = "bench",
        });
        var accepted = Stopwatch.GetTimestamp();
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["incidentId"]!.GetValue<Guid>();
        if (incident is not null && id != incident)
            pushesBefore = 0;
        var drawnWall = await page.EvaluateAsync<double>("""
            async ([id, after]) => {
              const next = () => (window.__drawn[id] || []).find(t => t > after);
              for (let n = 0; n < 500 && next() === undefined; n++) await new Promise(r => setTimeout(r, 10));
              return next() ?? -1;
            }
            """, new object[] { id.ToString(), postedWall });
        long? pushAt = await WaitAsync(() => pushed.TryGetValue(id, out var p) && p.Count > pushesBefore, TimeSpan.FromSeconds(5))
            ? pushed[id].ElementAt(pushesBefore) : null;
        return new AlertSample(id, started, Stopwatch.GetElapsedTime(started, accepted).TotalMilliseconds,
            pushAt is { } at ? Stopwatch.GetElapsedTime(started, at).TotalMilliseconds : null, drawnWall > 0 ? drawnWall - postedWall : null);
    }

    private static string Verdict(IReadOnlyList<double> ms, double target) =>
        ms.Count == 0 ? "no samples" : Stats.Percentile(ms, 99) < target ? $"met ({Stats.Percentile(ms, 99):0.0} ms)" : $"NOT met ({Stats.Percentile(ms, 99):0.0} ms)";

    /// <summary>Four acoustic sensors around each place post their pulses in arrival order; the third completes the location.</summary>
    private static async Task<List<double>> PulseSetsAsync(HttpClient admin, BenchHost host, ConcurrentDictionary<Guid, ConcurrentQueue<long>> pushed, int count, int warmUp)
    {
        var c = 20.05 * Math.Sqrt(15 + 273.15);
        var results = new List<double>();
        for (var k = 0; k < count + warmUp; k++)
        {
            var (lat, lon) = GeoMath.Offset(CenterLat - 0.05, CenterLon, 2000 * k, 90);
            var sensors = new List<(string Key, double Lat, double Lon)>();
            foreach (var bearing in new[] { 10.0, 100, 190, 280 })
            {
                var (sLat, sLon) = GeoMath.Offset(lat, lon, 500, bearing);
                sensors.Add(((await RegisterAsync(admin, "acoustic-sensor", $"bench acoustic {k}-{bearing}", sLat, sLon))["apiKey"]!.GetValue<string>(), sLat, sLon));
            }
            var fired = DateTimeOffset.UtcNow.AddSeconds(-1);
            var (shotLat, shotLon) = GeoMath.Offset(lat, lon, 120, 33);
            long started = 0;
            Guid? incident = null;
            foreach (var (s, n) in sensors.OrderBy(s => GeoMath.DistanceMeters(shotLat, shotLon, s.Lat, s.Lon)).Select((s, n) => (s, n)))
            {
                using var sensor = Client(host, s.Key);
                var arrival = fired + TimeSpan.FromSeconds(GeoMath.DistanceMeters(shotLat, shotLon, s.Lat, s.Lon) / c);
                started = Stopwatch.GetTimestamp();
                var result = await (await sensor.PostAsJsonAsync("api/v1/sensors/pulses", new { pulses = new[] { new { pulseId = $"b{k}-{n}", arrivalTime = arrival } } }))
                    .Content.ReadFromJsonAsync<JsonObject>();
                if (result!["located"]!.AsArray() is [var shot, ..])
                {
                    incident = shot!["incidentId"]!.GetValue<Guid>();
                    break;
                }
            }
            if (incident is { } id && await WaitAsync(() => pushed.ContainsKey(id), TimeSpan.FromSeconds(5)) && k >= warmUp)
                results.Add(Stopwatch.GetElapsedTime(started, pushed[id].First()).TotalMilliseconds);
            await Task.Delay(100);
        }
        return results;
    }

    /// <summary>Three streetlights, a PTZ and a fixed camera looking at the spot, and a plate reader, all within 150 m.</summary>
    private static async Task SurroundAsync(HttpClient admin, double lat, double lon)
    {
        foreach (var (meters, bearing) in new[] { (40.0, 0.0), (60, 120), (90, 240) })
        {
            var (l1, l2) = GeoMath.Offset(lat, lon, meters, bearing);
            await RegisterAsync(admin, "streetlight", "bench light", l1, l2, new { normalLevel = 40 });
        }
        var (p1, p2) = GeoMath.Offset(lat, lon, 80, 45);
        await RegisterAsync(admin, "camera", "bench ptz", p1, p2, new { type = "ptz", rangeMeters = 250 });
        var (f1, f2) = GeoMath.Offset(lat, lon, 60, 180);
        await RegisterAsync(admin, "camera", "bench fixed", f1, f2, new { type = "fixed", headingDegrees = 0.0, fieldOfViewDegrees = 90.0, rangeMeters = 120 });
        var (r1, r2) = GeoMath.Offset(lat, lon, 150, 300);
        await RegisterAsync(admin, "plate-reader", "bench reader", r1, r2, new { headingDegrees = 90.0, lanes = 2 });
    }

    private static async Task<IPage> SignedInBoardAsync(IBrowser browser, BenchHost host)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = host.BaseAddress.ToString() });
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("Email").FillAsync("commander@safecities.test");
        await page.GetByLabel("Password").FillAsync(BenchHost.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForFunctionAsync("() => document.getElementById('hub-status')?.textContent === 'live'");
        // Wall-clock times (ms since the epoch, sub-ms) at which each incident's row is drawn: first added, and each redrawing (the board
        // replaces a changed incident's row with a new element; a row only moved is the same element and does not count).
        await page.EvaluateAsync("""
            () => { window.__drawn = {}; const known = new WeakSet(); new MutationObserver(() => {
                const now = performance.timeOrigin + performance.now();
                for (const tr of document.querySelectorAll('#incidents tr[data-incident-id]'))
                    if (!known.has(tr)) { known.add(tr); (window.__drawn[tr.dataset.incidentId] ??= []).push(now); }
            }).observe(document.querySelector('#incidents tbody'), { childList: true }); }
            """);
        return page;
    }

    private static async Task<JsonObject> RegisterAsync(HttpClient admin, string kind, string name, double lat, double lon, object? settings = null)
    {
        var response = await admin.PostAsJsonAsync("api/v1/devices", new { kind, name, latitude = lat, longitude = lon, elevationMeters = 8.0, settings });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static HttpClient Client(BenchHost host, string key)
    {
        var client = new HttpClient { BaseAddress = host.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private static async Task<bool> WaitAsync(Func<bool> done, TimeSpan timeout)
    {
        var until = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!done())
        {
            if (Stopwatch.GetTimestamp() > until)
                return false;
            await Task.Delay(2);
        }
        return true;
    }

    private static string Ratio(List<double> values, List<double> baseline) =>
        values.Count == 0 ? "n/a" : $"{Stats.Percentile(values, 50) / Stats.Percentile(baseline, 50):0.00}×";

}
