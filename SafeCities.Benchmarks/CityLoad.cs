using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Benchmarks;

/// <summary>The latencies of one kind of request under load, and how many were shed (429/503, sent again) or failed.</summary>
internal sealed class PathStats
{
    public readonly ConcurrentBag<double> Ms = [];
    public int Shed, Failed;
}

/// <summary>
/// A busy city as background load, shared by <c>soak</c> and <c>latency</c>: plate readers sending reads at a fixed rate (open loop: a
/// batch is due on its schedule whether or not the previous one has returned; 2 % of batches are re-sent as a reader does after a lost
/// answer) and an analyst's audited plate search at a fixed interval. Every request goes through the HTTP API with its key.
/// </summary>
internal sealed class CityLoad
{
    public PathStats Reads { get; } = new();
    public PathStats Searches { get; } = new();
    private long acknowledged, resent;

    /// <summary>Reads the app acknowledged (a re-sent batch is not counted twice).</summary>
    public long Acknowledged => Interlocked.Read(ref acknowledged);

    public long Resent => Interlocked.Read(ref resent);

    /// <summary>Registers <paramref name="count"/> plate readers spread around the centre (200 m out and further, one every 60 m); their keys.</summary>
    public static async Task<List<string>> RegisterReadersAsync(HttpClient admin, int count, double centerLat, double centerLon, string name)
    {
        var keys = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var (lat, lon) = GeoMath.Offset(centerLat, centerLon, 200 + 60 * i, i * 137.5 % 360);
            var response = await admin.PostAsJsonAsync("api/v1/devices", new
            {
                kind = PlatesDeviceKinds.PlateReader, name = $"{name} {i}", latitude = lat, longitude = lon, elevationMeters = 5.0,
                settings = new { headingDegrees = 90.0, lanes = 2 },
            });
            response.EnsureSuccessStatusCode();
            keys.Add((await response.Content.ReadFromJsonAsync<JsonObject>())!["apiKey"]!.GetValue<string>());
        }
        return keys;
    }

    /// <summary>
    /// Plate reads at <paramref name="rate"/> a second in batches of <paramref name="batchSize"/>: each client owns readers c, c + clients, …;
    /// its batches are due every clients × batch / rate seconds. Ends when <paramref name="stop"/> is cancelled (an answer in flight is counted).
    /// </summary>
    public List<Task> SendReads(HttpClient[] clients, IReadOnlyList<string> readers, double rate, int batchSize, string prefix, CancellationToken stop)
    {
        var interval = TimeSpan.FromSeconds(clients.Length * batchSize / rate);
        return [.. clients.Select((http, c) => Task.Run(async () =>
        {
            var random = new Random(c);
            var sequence = 0;
            var due = Stopwatch.GetTimestamp();
            byte[]? previous = null;
            string? previousKey = null;
            while (!stop.IsCancellationRequested)
            {
                var reader = (c + clients.Length * (sequence % Math.Max(1, readers.Count / clients.Length))) % readers.Count;
                var repeat = previous is not null && random.Next(50) == 0;     // 2 %: the reader re-sends its last batch
                var (body, key) = repeat ? (previous!, previousKey!) : (Batch(random, prefix, c, sequence++, batchSize), readers[reader]);
                var ok = await SendAsync(http, HttpMethod.Post, "api/v1/plates/reads", key, body, Reads, stop);
                if (ok && repeat)
                    Interlocked.Increment(ref resent);
                else if (ok)
                    Interlocked.Add(ref acknowledged, batchSize);
                (previous, previousKey) = (body, key);
                due += (long)(interval.TotalSeconds * Stopwatch.Frequency);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.Zero)
                    await Delay(wait, stop);
            }
        }, CancellationToken.None))];
    }

    /// <summary>An analyst's plate search (a plate of the reads' fleet, the last two hours, audited with its case) every <paramref name="every"/>.</summary>
    public Task SearchEvery(HttpClient[] clients, string analystKey, TimeSpan every, CancellationToken stop) => Task.Run(async () =>
    {
        var random = new Random(7);
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var path = BenchRequests.PlateSearch(PlatesIngestBenchmark.Plate(random.Next(Fleet)), DateTimeOffset.UtcNow.AddHours(-2));
            await SendAsync(clients[i % clients.Length], HttpMethod.Get, path, analystKey, null, Searches, stop);
            await Delay(every, stop);
        }
    }, CancellationToken.None);

    /// <summary>The city's vehicles: the same plates pass many readers.</summary>
    private const int Fleet = 100_000;

    private static byte[] Batch(Random random, string prefix, int client, int sequence, int size)
    {
        var now = DateTimeOffset.UtcNow;
        var reads = Enumerable.Range(0, size).Select(i =>
        {
            var vehicle = random.Next(Fleet);
            return new
            {
                readId = $"{prefix}-{client}-{sequence}-{i}", plate = PlatesIngestBenchmark.Plate(vehicle), region = vehicle % 10 == 0 ? "MD" : "DC",
                capturedAt = now.AddSeconds(-random.Next(1, 30)), confidence = Math.Round(0.6 + random.NextDouble() * 0.4, 3),
                make = "Toyota", color = "silver", imageRef = $"s3://reads/{prefix}/{client}/{sequence}/{i}.jpg",
            };
        }).ToArray();
        return JsonSerializer.SerializeToUtf8Bytes(new { reads }, JsonSerializerOptions.Web);
    }

    public static async Task<bool> SendAsync(HttpClient http, HttpMethod method, string path, string key, byte[]? body, PathStats stats, CancellationToken stop) =>
        await SendForJsonAsync(http, method, path, key, body, stats, stop, readBody: false) is not null;

    /// <summary>Sends until answered (a 429/503 is counted as shed and re-sent after Retry-After); null when it failed or the load ended.</summary>
    public static async Task<JsonNode?> SendForJsonAsync(HttpClient http, HttpMethod method, string path, string key, byte[]? body, PathStats stats,
        CancellationToken stop, bool readBody = true)
    {
        while (true)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
                request.Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } };
            request.Headers.Add("X-Api-Key", key);
            var t = Stopwatch.GetTimestamp();
            try
            {
                // Not cancelled by the end of the load: an acknowledged request must be counted.
                using var response = await http.SendAsync(request, CancellationToken.None);
                var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
                if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
                {
                    Interlocked.Increment(ref stats.Shed);
                    if (stop.IsCancellationRequested)
                        return null;
                    await Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), stop);
                    continue;
                }
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref stats.Failed);
                    Console.Error.WriteLine($"{method} {path[..Math.Min(path.Length, 40)]}: {(int)response.StatusCode} {text[..Math.Min(text.Length, 300)]}");
                    return null;
                }
                stats.Ms.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                return readBody ? JsonNode.Parse(text) : new JsonObject();
            }
            catch (HttpRequestException e)
            {
                Interlocked.Increment(ref stats.Failed);
                Console.Error.WriteLine($"{method} {path[..Math.Min(path.Length, 40)]}: {e.Message}");
                return null;
            }
        }
    }

    public static async Task Delay(TimeSpan wait, CancellationToken stop)
    {
        try { await Task.Delay(wait, stop); }
        catch (OperationCanceledException) { }
    }
}
