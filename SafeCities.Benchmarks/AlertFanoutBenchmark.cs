using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Mediator;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SafeCities.Modules.Platform.Contracts;

namespace SafeCities.Benchmarks;

/// <summary>
/// <c>alert-fanout [--subscribers 100000] [--outside 20000] [--runs 3] [--json file]</c>: confirmed SMS subscribers (point + radius 200 m … 2 km)
/// spread over a 15 km disc around the city centre, plus others 40–60 km away; per run one public alert (a 20 km circle) is drafted by one
/// commander and approved by another through the HTTP API. Measures approval → all deliveries enqueued (the approve call: the fan-out is
/// one INSERT … SELECT in its transaction) and approval → all delivered by the app's own delivery worker through the simulated SMS driver.
/// </summary>
internal static class AlertFanoutBenchmark
{
    public const string Name = "alert-fanout";
    private const double CityLat = 38.90, CityLon = -77.03;
    /// <summary>The same purpose string as the app's SubscriberTokens.SealPurpose (the benchmark cannot see the module's internals).</summary>
    private const string SealPurpose = "SafeCities.Alerts.Subscribers.Unsubscribe.v1";

    public static async Task<int> RunAsync(string[] args)
    {
        var subscribers = BenchSupport.Arg(args, "--subscribers", 100_000);
        var outside = BenchSupport.Arg(args, "--outside", subscribers / 5);
        var runs = BenchSupport.Arg(args, "--runs", 3);

        await using var host = await BenchHost.StartAsync(durable: true);
        var connectionString = host.Services.GetRequiredService<IConfiguration>().GetConnectionString("SafeCities")!;
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        string author, approver;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var sender = scope.ServiceProvider.GetRequiredService<ISender>();
            author = await sender.Send(new CreateApiClientCommand("bench-author", SafeCities.Modules.Shared.Security.Roles.Commander, "bench"));
            approver = await sender.Send(new CreateApiClientCommand("bench-approver", SafeCities.Modules.Shared.Security.Roles.Commander, "bench"));
        }
        var sealedToken = host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(SealPurpose).Protect("bench-unsubscribe-token-0000000000000000000");

        var setup = Stopwatch.StartNew();
        await GenerateAsync(dataSource, subscribers, outside, sealedToken);
        Console.WriteLine($"generated {subscribers:N0} confirmed subscribers within 15 km and {outside:N0} 40–60 km away (SMS, one circle each): " +
                          $"{setup.Elapsed.TotalSeconds:0.0} s (INSERT … SELECT, covers by ST_Buffer, ANALYZE)");

        using var authorClient = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        authorClient.DefaultRequestHeaders.Add("X-Api-Key", author);
        using var approverClient = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        approverClient.DefaultRequestHeaders.Add("X-Api-Key", approver);

        var settings = await BenchSupport.DurabilityAsync(dataSource);
        var results = new List<(double EnqueueMs, double DeliveredMs, long Enqueued, long Delivered)>();
        var load = await MachineLoad.StartAsync(dataSource);
        for (var run = 1; run <= runs; run++)
        {
            var drafted = await authorClient.PostAsJsonAsync("api/v1/public-alerts", new
            {
                content = new
                {
                    @event = "Armed suspect", category = "Security", severity = "Severe", urgency = "Immediate", certainty = "Observed", responseType = "Shelter",
                    expires = DateTimeOffset.UtcNow.AddHours(2), areaDescription = "Citywide", circleLatitude = CityLat, circleLongitude = CityLon,
                    circleRadiusMeters = 20_000, headlineEn = $"Benchmark alert {run}", instructionEn = "Stay indoors.",
                    headlineEs = $"Alerta de prueba {run}", instructionEs = "Permanezca adentro.",
                },
            });
            drafted.EnsureSuccessStatusCode();
            var id = JsonDocument.Parse(await drafted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();

            var clock = Stopwatch.StartNew();
            (await approverClient.PostAsync($"api/v1/public-alerts/{id}/approve", null)).EnsureSuccessStatusCode();
            var enqueueMs = clock.Elapsed.TotalMilliseconds;
            var enqueued = await BenchSupport.CountAsync(dataSource, $"alerts.alert_deliveries WHERE message_id = '{id}'");
            long delivered = 0;
            while (clock.Elapsed < TimeSpan.FromMinutes(10))
            {
                delivered = await BenchSupport.CountAsync(dataSource, $"alerts.alert_deliveries WHERE message_id = '{id}' AND state = 'sent'");
                if (delivered >= enqueued)
                    break;
                await Task.Delay(100);
            }
            var deliveredMs = clock.Elapsed.TotalMilliseconds;
            var recorded = await BenchSupport.CountAsync(dataSource, $"alerts.alert_simulated_deliveries WHERE message_id = '{id}' AND sends = 1");
            Console.WriteLine($"run {run}: approval → {enqueued:N0} deliveries enqueued {enqueueMs / 1000,6:0.00} s; → {delivered:N0} delivered " +
                              $"{deliveredMs / 1000,6:0.00} s ({delivered / (deliveredMs / 1000):N0}/s); simulated driver recorded {recorded:N0} once each");
            results.Add((enqueueMs, deliveredMs, enqueued, delivered));
        }
        var figures = await load.StopAsync();
        var enqueue = results.Select(r => r.EnqueueMs).ToList();
        var all = results.Select(r => r.DeliveredMs).ToList();
        Console.WriteLine($"median of {runs}: enqueue {Stats.Percentile(enqueue, 50) / 1000:0.00} s (target < 10 s), all delivered {Stats.Percentile(all, 50) / 1000:0.00} s");
        Console.WriteLine($"{figures}; {settings}");
        BenchSupport.WriteJson(args, Name, new
        {
            subscribers, outside, runs, settings, MedianEnqueueSeconds = Math.Round(Stats.Percentile(enqueue, 50) / 1000, 3),
            MedianDeliveredSeconds = Math.Round(Stats.Percentile(all, 50) / 1000, 3),
            PerRun = results.Select(r => new { EnqueueSeconds = Math.Round(r.EnqueueMs / 1000, 3), DeliveredSeconds = Math.Round(r.DeliveredMs / 1000, 3), r.Enqueued, r.Delivered }),
        }, figures);
        return results.All(r => r.Enqueued == subscribers && r.Delivered == subscribers) ? 0 : 1;
    }

    private static async Task GenerateAsync(NpgsqlDataSource dataSource, int inside, int outside, string sealedToken)
    {
        await using (var command = dataSource.CreateCommand("""
            INSERT INTO alerts.alert_subscribers (id, channel, address, language, confirm_token_hash, unsubscribe_token_hash, unsubscribe_token_sealed, created_at, confirmed_at)
            SELECT gen_random_uuid(), 'sms', '+1202' || lpad(i::text, 7, '0'), CASE WHEN i % 3 = 0 THEN 'es' ELSE 'en' END,
                   sha256(convert_to('c' || i, 'UTF8')), sha256(convert_to('u' || i, 'UTF8')), $1, now(), now()
            FROM generate_series(1, $2 + $3) i
            """))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = sealedToken });
            command.Parameters.Add(new NpgsqlParameter { Value = inside });
            command.Parameters.Add(new NpgsqlParameter { Value = outside });
            command.CommandTimeout = 600;
            await command.ExecuteNonQueryAsync();
        }
        // The first `inside` subscribers (by address) within 15 km of the centre, the rest 40–60 km away; radius 200 m … 2 km.
        await using (var command = dataSource.CreateCommand("""
            INSERT INTO alerts.alert_subscriber_areas (id, subscriber_id, area, radius_meters, cover)
            SELECT gen_random_uuid(), id, p, r, ST_Buffer(p, r * 1.02 + 5)
            FROM (SELECT s.id, r,
                         ST_Project(ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography,
                                    CASE WHEN n <= $3 THEN sqrt(random()) * 15000 ELSE 40000 + random() * 20000 END, random() * 2 * pi()) AS p
                  FROM (SELECT id, row_number() OVER (ORDER BY address) AS n, 200 + random() * 1800 AS r FROM alerts.alert_subscribers) s) x
            """))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = CityLon });
            command.Parameters.Add(new NpgsqlParameter { Value = CityLat });
            command.Parameters.Add(new NpgsqlParameter { Value = (long)inside });
            command.CommandTimeout = 600;
            await command.ExecuteNonQueryAsync();
        }
        await BenchSupport.ExecuteAsync(dataSource, "ANALYZE alerts.alert_subscribers; ANALYZE alerts.alert_subscriber_areas");
    }
}
