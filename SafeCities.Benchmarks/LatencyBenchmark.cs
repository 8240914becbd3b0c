using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;

namespace SafeCities.Benchmarks;

/// <summary>
/// Detection-to-screen: the time from posting a located gunshot alert (device key, HTTP) to the incident's row appearing on a
/// signed-in command board in Chromium, pushed over SignalR. Same run baselines: the HTTP acknowledgement of the post, and
/// a .NET SignalR client receiving the same push.
/// </summary>
internal static class LatencyBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = Arg(args, "--count", 20);
        var chromium = Environment.GetEnvironmentVariable("SAFECITIES_CHROMIUM") ?? "/usr/bin/chromium";
        await using var host = await BenchHost.StartAsync();
        using var admin = new HttpClient { BaseAddress = host.BaseAddress };
        admin.DefaultRequestHeaders.Add("X-Api-Key", host.AdminKey);
        var registered = await (await admin.PostAsJsonAsync("api/v1/devices",
            new { kind = "gunshot-feed", name = "bench feed", latitude = 38.853, longitude = -76.993 })).Content.ReadFromJsonAsync<JsonObject>();
        using var device = new HttpClient { BaseAddress = host.BaseAddress };
        device.DefaultRequestHeaders.Add("X-Api-Key", registered!["apiKey"]!.GetValue<string>());

        var hubArrivals = new ConcurrentDictionary<Guid, long>();
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(host.BaseAddress, "hubs/incidents"), o => o.Headers["X-Api-Key"] = host.AdminKey).Build();
        hub.On<JsonElement>("IncidentChanged", i => hubArrivals.TryAdd(i.GetProperty("id").GetGuid(), Stopwatch.GetTimestamp()));
        await hub.StartAsync();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium, Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
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

        var http = new List<double>();
        var signalr = new List<double>();
        var screen = new List<double>();
        for (var i = 0; i < count + 2; i++)
        {
            var lat = 38.80 + i * 0.01; // 1 km apart: every shot opens its own incident
            var postedWall = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).TotalMilliseconds;
            var started = Stopwatch.GetTimestamp();
            var response = await device.PostAsJsonAsync("api/v1/sensors/gunshots", new
            {
                externalId = $"bench-{i}", occurredAt = DateTimeOffset.UtcNow, latitude = lat, longitude = -76.99, rounds = 3, source = "bench",
            });
            var acknowledged = Stopwatch.GetTimestamp();
            var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["incidentId"]!.GetValue<Guid>();
            var seenWall = await page.EvaluateAsync<double>($$"""
                async id => { for (let n = 0; n < 500 && !(id in window.__seen); n++) await new Promise(r => setTimeout(r, 10)); return window.__seen[id] ?? -1; }
                """, id.ToString());
            if (i < 2)
                continue; // warm-up (JIT, first render)
            http.Add(Stopwatch.GetElapsedTime(started, acknowledged).TotalMilliseconds);
            if (hubArrivals.TryGetValue(id, out var arrived))
                signalr.Add(Stopwatch.GetElapsedTime(started, arrived).TotalMilliseconds);
            if (seenWall > 0)
                screen.Add(seenWall - postedWall);
            await Task.Delay(250);
        }

        Console.WriteLine($"Detection-to-screen latency, {count} gunshot alerts (after 2 warm-ups), app + PostgreSQL + Chromium on this machine:");
        Console.WriteLine(Stats.Summary("HTTP POST → 201 (baseline)", http));
        Console.WriteLine(Stats.Summary("HTTP POST → .NET SignalR client receives", signalr));
        Console.WriteLine(Stats.Summary("HTTP POST → row on the Chromium board", screen));
        Console.WriteLine($"ratio board/HTTP median: {Stats.Percentile(screen, 50) / Stats.Percentile(http, 50):0.00}; rows seen {screen.Count}/{count}");
        return screen.Count == count ? 0 : 1;
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }
}
