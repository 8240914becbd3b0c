using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Benchmarks;

/// <summary>
/// Detection to screen and to the city's reaction. Posts located gunshot alerts (device key, HTTP) at places with streetlights,
/// cameras and plate readers around them, and measures from the post to: the HTTP acceptance (baseline), the incident pushed to a
/// subscribed SignalR client (a), every module (Lighting, Video, Plates) reported on the incident's timeline (b), and the
/// incident row drawn on a signed-in Chromium command board. Then pulse sets: acoustic sensors post their pulses one by one
/// and the time from the completing post to the located incident's push is measured.
/// </summary>
internal static class LatencyBenchmark
{
    private static readonly string[] ReactingModules = ["Lighting", "Video", "Plates"];
    private const double CenterLat = 38.853, CenterLon = -76.993;

    public static async Task<int> RunAsync(string[] args)
    {
        var count = BenchSupport.Arg(args, "--count", 20);
        const int warmUp = 2;
        var chromium = Environment.GetEnvironmentVariable("SAFECITIES_CHROMIUM") ?? "/usr/bin/chromium";
        await using var host = await BenchHost.StartAsync();
        using var admin = Client(host, host.AdminKey);
        var feedKey = (await RegisterAsync(admin, "gunshot-feed", "bench feed", CenterLat, CenterLon))["apiKey"]!.GetValue<string>();
        using var device = Client(host, feedKey);

        var pushed = new ConcurrentDictionary<Guid, long>();
        var reported = new ConcurrentDictionary<(Guid, string), long>();
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(host.BaseAddress, "hubs/incidents"), o => o.Headers["X-Api-Key"] = host.AdminKey).Build();
        hub.On<JsonElement>("IncidentChanged", i => pushed.TryAdd(i.GetProperty("id").GetGuid(), Stopwatch.GetTimestamp()));
        hub.On<JsonElement>("TimelineAppended", t => reported.TryAdd((t.GetProperty("incidentId").GetGuid(), t.GetProperty("module").GetString()!), Stopwatch.GetTimestamp()));
        await hub.StartAsync();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium, Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
        var page = await SignedInBoardAsync(browser, host);

        Console.Error.WriteLine($"registering devices around {count + warmUp} places…");
        var places = Enumerable.Range(0, count + warmUp).Select(i => GeoMath.Offset(CenterLat, CenterLon, 400 * i, 90)).ToList();
        foreach (var (lat, lon) in places)
            await SurroundAsync(admin, lat, lon);

        var (http, toPush, toReactions, toScreen) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        var machine = MachineLoad.Start();
        for (var i = 0; i < places.Count; i++)
        {
            var (lat, lon) = places[i];
            var postedWall = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).TotalMilliseconds;
            var started = Stopwatch.GetTimestamp();
            var response = await device.PostAsJsonAsync("api/v1/sensors/gunshots", new
            {
                externalId = $"bench-{i}", occurredAt = DateTimeOffset.UtcNow, latitude = lat, longitude = lon, rounds = 3, source = "bench",
            });
            var accepted = Stopwatch.GetTimestamp();
            var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["incidentId"]!.GetValue<Guid>();
            var seenWall = await page.EvaluateAsync<double>("""
                async id => { for (let n = 0; n < 500 && !(id in window.__seen); n++) await new Promise(r => setTimeout(r, 10)); return window.__seen[id] ?? -1; }
                """, id.ToString());
            var allReported = await WaitAsync(() => ReactingModules.All(m => reported.ContainsKey((id, m))), TimeSpan.FromSeconds(10));
            if (i < warmUp)
                continue;
            http.Add(Stopwatch.GetElapsedTime(started, accepted).TotalMilliseconds);
            if (pushed.TryGetValue(id, out var p))
                toPush.Add(Stopwatch.GetElapsedTime(started, p).TotalMilliseconds);
            if (allReported)
                toReactions.Add(Stopwatch.GetElapsedTime(started, ReactingModules.Max(m => reported[(id, m)])).TotalMilliseconds);
            if (seenWall > 0)
                toScreen.Add(seenWall - postedWall);
            await Task.Delay(200);
        }

        var pulses = await PulseSetsAsync(admin, host, pushed, count, warmUp);
        var load = machine.Stop();

        Console.WriteLine($"SafeCities latency, {count} gunshot alerts and {count} pulse sets (after {warmUp} warm-ups each), app + PostgreSQL + Chromium on this machine ({Environment.ProcessorCount} cores):");
        Console.WriteLine(Stats.Summary("alert: HTTP POST → 201 accepted (baseline)", http));
        Console.WriteLine(Stats.Summary("alert: POST → incident pushed over SignalR (a)", toPush));
        Console.WriteLine(Stats.Summary("alert: POST → lights, cameras, readers on timeline (b)", toReactions));
        Console.WriteLine(Stats.Summary("alert: POST → row drawn on the Chromium board", toScreen));
        Console.WriteLine(Stats.Summary("pulses: completing POST → incident pushed (a)", pulses));
        Console.WriteLine($"ratios of p50 to the HTTP baseline: pushed {Ratio(toPush, http)}, reactions {Ratio(toReactions, http)}, board {Ratio(toScreen, http)}");
        Console.WriteLine(load);
        BenchSupport.WriteJson(args, "latency", new
        {
            count, AlertHttp = BenchSupport.Latency(http), AlertPushed = BenchSupport.Latency(toPush), AlertReactions = BenchSupport.Latency(toReactions),
            AlertBoard = BenchSupport.Latency(toScreen), PulsesPushed = BenchSupport.Latency(pulses),
        }, load);
        var complete = toPush.Count == count && toReactions.Count == count && toScreen.Count == count && pulses.Count == count;
        if (!complete)
            Console.WriteLine($"INCOMPLETE: pushed {toPush.Count}, reactions {toReactions.Count}, board {toScreen.Count}, pulse sets {pulses.Count} of {count}");
        return complete ? 0 : 1;
    }

    /// <summary>Four acoustic sensors around each place post their pulses in arrival order; the third completes the location.</summary>
    private static async Task<List<double>> PulseSetsAsync(HttpClient admin, BenchHost host, ConcurrentDictionary<Guid, long> pushed, int count, int warmUp)
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
                results.Add(Stopwatch.GetElapsedTime(started, pushed[id]).TotalMilliseconds);
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
        // Wall-clock time (ms since the epoch, sub-ms) at which each incident row first appears.
        await page.EvaluateAsync("""
            () => { window.__seen = {}; new MutationObserver(() => {
                for (const tr of document.querySelectorAll('#incidents tr[data-incident-id]'))
                    if (!(tr.dataset.incidentId in window.__seen)) window.__seen[tr.dataset.incidentId] = performance.timeOrigin + performance.now();
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
