using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
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

    private sealed record Batch(int Reader, Read[] Reads, byte[] Json);

    public static async Task<int> RunAsync(string[] args)
    {
        var total = BenchSupport.Arg(args, "--reads", 300_000);
        var batchSize = BenchSupport.Arg(args, "--batch", 250);
        var clients = BenchSupport.Arg(args, "--clients", 6);
        var readerCount = BenchSupport.Arg(args, "--readers", 120);

        await using var host = await BenchHost.StartAsync();
        using var admin = new HttpClient { BaseAddress = host.BaseAddress };
        admin.DefaultRequestHeaders.Add("X-Api-Key", host.AdminKey);

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
            var json = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            readers.Add((json["id"]!.GetValue<Guid>(), json["apiKey"]!.GetValue<string>(), lat, lon));
        }

        Console.Error.WriteLine($"generating {total} reads in batches of {batchSize}…");
        var warmUp = Generate(readerCount, 40 * batchSize, batchSize, "w", new Random(7));
        var batches = Generate(readerCount, total, batchSize, "r", new Random(42));
        var sent = batches.Sum(b => b.Reads.Length);

        Console.Error.WriteLine("warm-up…");
        await PostAllAsync(host, readers, warmUp, clients);
        await using var dataSource = NpgsqlDataSource.Create(host.ConnectionString);
        await BenchSupport.ExecuteAsync(dataSource, "TRUNCATE plates.plate_reads; VACUUM ANALYZE plates.plate_reads;");

        Console.Error.WriteLine($"API: {clients} clients…");
        var apiCpu = await CpuAsync(dataSource);
        var api = await PostAllAsync(host, readers, batches, clients);
        apiCpu = (await CpuAsync(dataSource)) - apiCpu;
        var stored = await BenchSupport.CountAsync(dataSource, "plates.plate_reads");
        if (stored != sent)
            Console.WriteLine($"MISMATCH: {sent} reads sent, {stored} stored");

        await BenchSupport.ExecuteAsync(dataSource, "TRUNCATE plates.plate_reads; VACUUM ANALYZE plates.plate_reads;");
        Console.Error.WriteLine($"raw COPY: {clients} connections…");
        var copyCpu = await CpuAsync(dataSource);
        var copy = await CopyAllAsync(dataSource, readers, batches, clients);
        copyCpu = (await CpuAsync(dataSource)) - copyCpu;
        var copied = await BenchSupport.CountAsync(dataSource, "plates.plate_reads");

        Console.WriteLine($"SafeCities plates-ingest: {sent} reads from {readerCount} readers, batches of {batchSize}, {clients} concurrent clients, " +
                          $"app + PostgreSQL on this machine ({Environment.ProcessorCount} cores)");
        Console.WriteLine($"API  (POST /api/v1/plates/reads, validated, de-duplicated, COPY, committed): {sent / api.Seconds,9:N0} reads/s  " +
                          $"({api.Seconds:0.0} s, {stored} stored, {api.Shed} shed with 429/503 and re-sent)");
        Console.WriteLine($"COPY (raw binary COPY of the same rows into the same table, one transaction a batch): {sent / copy.Seconds,9:N0} reads/s  " +
                          $"({copy.Seconds:0.0} s, {copied} stored)");
        Console.WriteLine($"ratio API / raw COPY: {copy.Seconds / api.Seconds:0.00}");
        Console.WriteLine($"CPU per 1,000 reads — API: this process (app + HTTP clients) {apiCpu.App / sent * 1000:0.0} ms, PostgreSQL {apiCpu.Db / sent * 1000:0.0} ms; " +
                          $"raw COPY: this process {copyCpu.App / sent * 1000:0.0} ms, PostgreSQL {copyCpu.Db / sent * 1000:0.0} ms");
        Console.WriteLine(Stats.Summary("API batch latency (POST → 200)", api.Latencies));
        Console.WriteLine(Stats.Summary("raw COPY batch latency (open → commit)", copy.Latencies));
        return stored == sent && copied == sent ? 0 : 1;
    }

    private static List<Batch> Generate(int readers, int total, int batchSize, string prefix, Random random)
    {
        var now = DateTimeOffset.UtcNow;
        var sequence = new int[readers];
        var batches = new List<Batch>();
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        for (var done = 0; done < total; done += batchSize)
        {
            var reader = batches.Count % readers;
            var reads = new Read[Math.Min(batchSize, total - done)];
            for (var i = 0; i < reads.Length; i++)
            {
                var vehicle = random.Next(200_000);   // a city's vehicles: some plates pass many readers
                var seq = sequence[reader]++;
                reads[i] = new Read($"{prefix}-{reader}-{seq}", Plate(vehicle), vehicle % 10 == 0 ? "MD" : "DC",
                    now.AddSeconds(-random.Next(1, 36 * 3600)), Math.Round(0.6 + random.NextDouble() * 0.4, 3),
                    random.Next(5) == 0 ? null : Makes[vehicle % Makes.Length], random.Next(5) == 0 ? null : Models[vehicle % Models.Length],
                    Colors[vehicle % Colors.Length], $"s3://reads/{prefix}/{reader}/{seq}.jpg");
            }
            batches.Add(new Batch(reader, reads, JsonSerializer.SerializeToUtf8Bytes(new { reads }, json)));
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

    private sealed record Run(double Seconds, List<double> Latencies, int Shed);

    /// <summary>Client c drives readers c, c + clients, …, each reader's batches in order (as a reader uploads).</summary>
    private static async Task<Run> PostAllAsync(BenchHost host, List<(Guid Id, string Key, double Lat, double Lon)> readers, List<Batch> batches, int clients)
    {
        var latencies = new List<double>[clients];
        var shed = 0;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            using var http = new HttpClient { BaseAddress = host.BaseAddress };
            latencies[c] = [];
            foreach (var batch in batches.Where(b => b.Reader % clients == c))
            {
                while (true)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/plates/reads") { Content = new ByteArrayContent(batch.Json) };
                    request.Content.Headers.ContentType = new("application/json");
                    request.Headers.Add("X-Api-Key", readers[batch.Reader].Key);
                    var t = Stopwatch.GetTimestamp();
                    using var response = await http.SendAsync(request);
                    if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
                    {
                        Interlocked.Increment(ref shed);
                        await Task.Delay(TimeSpan.FromSeconds(response.Headers.RetryAfter?.Delta?.TotalSeconds ?? 1));
                        continue;
                    }
                    var body = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode != HttpStatusCode.OK)
                        throw new InvalidOperationException($"batch refused: {(int)response.StatusCode} {body}");
                    latencies[c].Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                    break;
                }
            }
        })));
        return new Run(Stopwatch.GetElapsedTime(started).TotalSeconds, latencies.SelectMany(l => l).ToList(), shed);
    }

    private static async Task<Run> CopyAllAsync(NpgsqlDataSource dataSource, List<(Guid Id, string Key, double Lat, double Lon)> readers, List<Batch> batches,
        int clients)
    {
        var latencies = new List<double>[clients];
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            latencies[c] = [];
            foreach (var batch in batches.Where(b => b.Reader % clients == c))
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
                    foreach (var r in batch.Reads)
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
                latencies[c].Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
        })));
        return new Run(Stopwatch.GetElapsedTime(started).TotalSeconds, latencies.SelectMany(l => l).ToList(), 0);
    }

    private readonly record struct Cpu(double App, double Db)
    {
        public static Cpu operator -(Cpu a, Cpu b) => new(a.App - b.App, a.Db - b.Db);
    }

    /// <summary>CPU time used so far (ms) by this process and by the PostgreSQL backends serving the bench database (from /proc).</summary>
    private static async Task<Cpu> CpuAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT pid FROM pg_stat_activity WHERE datname = current_database()");
        await using var reader = await command.ExecuteReaderAsync();
        var db = 0.0;
        while (await reader.ReadAsync())
        {
            try
            {
                var stat = await File.ReadAllTextAsync($"/proc/{reader.GetInt32(0)}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                db += (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;   // 100 ticks/s
            }
            catch (IOException)
            {
                // the backend ended meanwhile
            }
        }
        return new Cpu(Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds, db);
    }
}
