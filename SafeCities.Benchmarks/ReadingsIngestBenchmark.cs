using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MQTTnet;
using MQTTnet.Protocol;
using Npgsql;
using NpgsqlTypes;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Benchmarks;

/// <summary>
/// <c>readings-ingest</c>: environmental readings per second over MQTT (QoS 1: each publish waits for its PUBACK, which the app sends only after
/// the readings are committed), then through <c>POST /api/v1/sensors/readings</c>, then raw binary COPY of the same rows into the same table
/// with the same concurrency and batch size — all in one run, each on an emptied table, with the demo city's four threshold rules enabled (so
/// every batch is evaluated against them) and <c>synchronous_commit=on</c>. Every sensor has its own connection and key, as devices do.
/// </summary>
internal static class ReadingsIngestBenchmark
{
    public const string Name = "readings-ingest";
    private const double CenterLat = 38.85, CenterLon = -76.99;
    private static readonly (string Quantity, double Low, double High)[] Quantities =
        [("pm2_5", 2, 40), ("pm10", 5, 80), ("no2", 5, 60), ("o3", 0.01, 0.06), ("noise_laeq", 45, 80), ("pipe_pressure", 380, 440), ("wind_speed", 0, 12)];

    private sealed record Reading(string ReadingId, DateTimeOffset At, string Quantity, double Value);

    private sealed record Batch(int Sensor, Reading[] Readings, byte[] Json);


    public static async Task<int> RunAsync(string[] args)
    {
        var total = BenchSupport.Arg(args, "--readings", 200_000);
        var batchSize = BenchSupport.Arg(args, "--batch", 100);
        var clients = BenchSupport.Arg(args, "--clients", 6);
        var sensorCount = BenchSupport.Arg(args, "--sensors", 60);

        await using var host = await BenchHost.StartAsync(mqtt: true, durable: true);
        using var admin = new HttpClient { BaseAddress = host.BaseAddress };
        admin.DefaultRequestHeaders.Add("X-Api-Key", host.AdminKey);
        await using var dataSource = NpgsqlDataSource.Create(host.ConnectionString);

        Console.Error.WriteLine($"registering {sensorCount} environmental sensors and the demo's rules…");
        var sensors = new List<(Guid Id, string Key)>();
        for (var i = 0; i < sensorCount; i++)
        {
            var (lat, lon) = GeoMath.Offset(CenterLat, CenterLon, 200 + 60 * i, i * 137.5 % 360);
            var response = await admin.PostAsJsonAsync("api/v1/devices", new { kind = "environmental-sensor", name = $"bench sensor {i}", latitude = lat, longitude = lon });
            response.EnsureSuccessStatusCode();
            var created = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            sensors.Add((created["id"]!.GetValue<Guid>(), created["apiKey"]!.GetValue<string>()));
        }
        foreach (var rule in new object[]
                 {
                     new { name = "AQI over 150", quantity = "aqi", above = true, threshold = 151, clearLevel = 140, sustainedSeconds = 1800, severity = "medium" },
                     new { name = "Burst main", quantity = "pipe_pressure", above = false, threshold = 200, clearLevel = 300, sustainedSeconds = 60, severity = "high" },
                     new { name = "Loud", quantity = "noise_laeq", above = true, threshold = 95, clearLevel = 85, sustainedSeconds = 300, severity = "low" },
                     new { name = "Gusts", quantity = "wind_gust", above = true, threshold = 25, clearLevel = 20, sustainedSeconds = 0, severity = "medium" },
                 })
            (await admin.PostAsJsonAsync("api/v1/sensors/rules", rule)).EnsureSuccessStatusCode();

        Console.Error.WriteLine($"generating {total} readings in batches of {batchSize}…");
        var warmUp = Generate(sensorCount, 30 * batchSize, batchSize, "w", new Random(7));
        var batches = Generate(sensorCount, total, batchSize, "r", new Random(42));
        var sent = batches.Sum(b => b.Readings.Length);
        var settings = await BenchSupport.DurabilityAsync(dataSource);

        Console.Error.WriteLine("warm-up (MQTT and HTTP)…");
        await MqttAllAsync(host, sensors, warmUp, clients);
        await PostAllAsync(host, sensors, warmUp, clients);

        const string empty = "TRUNCATE sensors.readings, sensors.latest_readings, sensors.threshold_rule_states; VACUUM ANALYZE sensors.readings";
        await BenchSupport.ExecuteAsync(dataSource, empty);
        MachineLoad? machine = await MachineLoad.StartAsync(dataSource);
        Console.Error.WriteLine($"MQTT: {clients} clients…");
        var mqtt = await MqttAllAsync(host, sensors, batches, clients);
        var mqttStored = await BenchSupport.CountAsync(dataSource, "sensors.readings");

        await BenchSupport.ExecuteAsync(dataSource, empty);
        Console.Error.WriteLine($"HTTP: {clients} clients…");
        var http = await PostAllAsync(host, sensors, batches, clients);
        var httpStored = await BenchSupport.CountAsync(dataSource, "sensors.readings");

        await BenchSupport.ExecuteAsync(dataSource, empty);
        Console.Error.WriteLine($"raw COPY: {clients} connections…");
        var copy = await CopyAllAsync(dataSource, sensors, batches, clients);
        var copied = await BenchSupport.CountAsync(dataSource, "sensors.readings");

        var rate = (BatchRun r) => sent / r.Seconds;
        var load = machine is null ? null : await machine.StopAsync();
        Console.WriteLine($"SafeCities readings-ingest: {sent} readings from {sensorCount} sensors, batches of {batchSize}, {clients} concurrent clients, " +
                          $"4 threshold rules evaluated, {settings} ({Environment.ProcessorCount} cores, app + PostgreSQL + clients on this machine)");
        Console.WriteLine(load);
        Console.WriteLine($"MQTT (QoS 1, PUBACK after commit): {rate(mqtt),9:N0} readings/s  ({mqtt.Seconds:0.0} s, {mqttStored} stored)");
        Console.WriteLine($"HTTP (POST /api/v1/sensors/readings): {rate(http),9:N0} readings/s  ({http.Seconds:0.0} s, {httpStored} stored)");
        Console.WriteLine($"COPY (raw binary COPY of the same rows into the same table, one transaction a batch): {rate(copy),9:N0} readings/s  ({copy.Seconds:0.0} s, {copied} stored)");
        Console.WriteLine($"ratio MQTT / raw COPY: {copy.Seconds / mqtt.Seconds:0.00}; HTTP / raw COPY: {copy.Seconds / http.Seconds:0.00}");
        Console.WriteLine(Stats.Summary("MQTT publish → PUBACK", mqtt.Latencies));
        Console.WriteLine(Stats.Summary("HTTP batch (POST → 200)", http.Latencies));
        Console.WriteLine(Stats.Summary("raw COPY batch (open → commit)", copy.Latencies));
        BenchSupport.WriteJson(args, Name, new
        {
            readings = sent, sensors = sensorCount, batch = batchSize, clients, settings,
            mqtt = Summary(mqtt, sent, mqttStored), http = Summary(http, sent, httpStored), copy = Summary(copy, sent, copied),
            ratioMqttToCopy = Math.Round(copy.Seconds / mqtt.Seconds, 3), ratioHttpToCopy = Math.Round(copy.Seconds / http.Seconds, 3),
        }, load);
        return mqttStored == sent && httpStored == sent && copied == sent ? 0 : 1;
    }

    private static object Summary(BatchRun r, int sent, long stored) => new
    {
        readingsPerSecond = Math.Round(sent / r.Seconds), seconds = Math.Round(r.Seconds, 2), stored,
        p50Ms = Math.Round(Stats.Percentile(r.Latencies, 50), 1), p95Ms = Math.Round(Stats.Percentile(r.Latencies, 95), 1),
        p99Ms = Math.Round(Stats.Percentile(r.Latencies, 99), 1), maxMs = Math.Round(r.Latencies.Max(), 1),
    };

    /// <summary>Sensor s sends batches of readings a minute apart per quantity, over the last day and a half (within the partitions' range).</summary>
    private static List<Batch> Generate(int sensors, int total, int batchSize, string prefix, Random random)
    {
        var now = DateTimeOffset.UtcNow;
        var sequence = new int[sensors];
        var batches = new List<Batch>();
        for (var done = 0; done < total; done += batchSize)
        {
            var sensor = batches.Count % sensors;
            var readings = new Reading[Math.Min(batchSize, total - done)];
            for (var i = 0; i < readings.Length; i++)
            {
                var seq = sequence[sensor]++;
                var (quantity, low, high) = Quantities[seq % Quantities.Length];
                readings[i] = new Reading($"{prefix}-{sensor}-{seq}", now.AddSeconds(-random.Next(60, 36 * 3600)), quantity,
                    Math.Round(low + random.NextDouble() * (high - low), 3));
            }
            batches.Add(new Batch(sensor, readings, JsonSerializer.SerializeToUtf8Bytes(new { readings }, JsonSerializerOptions.Web)));
        }
        return batches;
    }

    /// <summary>Client c drives sensors c, c + clients, …: one MQTT connection per sensor (its id and key), each publish awaited (QoS 1).</summary>
    private static async Task<BatchRun> MqttAllAsync(BenchHost host, List<(Guid Id, string Key)> sensors, List<Batch> batches, int clients)
    {
        var connections = new IMqttClient[sensors.Count];
        for (var s = 0; s < sensors.Count; s++)
        {
            connections[s] = new MqttClientFactory().CreateMqttClient();
            var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", host.MqttPort).WithClientId($"bench-{sensors[s].Id:N}")
                .WithCredentials(sensors[s].Id.ToString(), sensors[s].Key).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build();
            await connections[s].ConnectAsync(options);
        }
        var run = await BenchSupport.ByClientsAsync(batches, b => b.Sensor, clients, async batch =>
        {
            var message = new MqttApplicationMessageBuilder().WithTopic($"safecities/{sensors[batch.Sensor].Id}/readings").WithPayload(batch.Json)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
            var t = Stopwatch.GetTimestamp();
            var result = await connections[batch.Sensor].PublishAsync(message);
            if (!result.IsSuccess)
                throw new InvalidOperationException($"publish refused: {result.ReasonCode} {result.ReasonString}");
            return Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        });
        foreach (var connection in connections)
        {
            await connection.DisconnectAsync();
            connection.Dispose();
        }
        return run;
    }

    private static Task<BatchRun> PostAllAsync(BenchHost host, List<(Guid Id, string Key)> sensors, List<Batch> batches, int clients) =>
        BenchSupport.PostBatchesAsync(host.BaseAddress, "api/v1/sensors/readings", batches, b => b.Sensor, b => sensors[b.Sensor].Key, b => b.Json, clients);

    private static Task<BatchRun> CopyAllAsync(NpgsqlDataSource dataSource, List<(Guid Id, string Key)> sensors, List<Batch> batches, int clients) =>
        BenchSupport.ByClientsAsync(batches, b => b.Sensor, clients, async batch =>
        {
            var t = Stopwatch.GetTimestamp();
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var copy = await connection.BeginBinaryImportAsync(
                             "COPY sensors.readings (device_id, reading_id, at, quantity, value, received_at, via) FROM STDIN (FORMAT BINARY)"))
            {
                var received = DateTime.UtcNow;
                foreach (var r in batch.Readings)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(sensors[batch.Sensor].Id, NpgsqlDbType.Uuid);
                    await copy.WriteAsync(r.ReadingId, NpgsqlDbType.Varchar);
                    await copy.WriteAsync(r.At.UtcDateTime, NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(r.Quantity, NpgsqlDbType.Varchar);
                    await copy.WriteAsync(r.Value, NpgsqlDbType.Double);
                    await copy.WriteAsync(received, NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync("copy", NpgsqlDbType.Varchar);
                }
                await copy.CompleteAsync();
            }
            await transaction.CommitAsync();
            return Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        });
}
