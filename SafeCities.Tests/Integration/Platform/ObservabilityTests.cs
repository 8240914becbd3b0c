using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Hangfire;
using Hangfire.Common;
using Hangfire.Server;
using Hangfire.States;
using Microsoft.AspNetCore.SignalR.Client;
using SafeCities.Tests.Integration.Plates;

namespace SafeCities.Tests.Integration.Platform;

/// <summary>The Prometheus endpoint on its own loopback port, what it exposes, and the liveness/readiness endpoints.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed partial class ObservabilityTests(AppFixture app)
{
    private static readonly HttpClient Scraper = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Metrics_are_not_served_on_the_apps_port_to_anyone()
    {
        using var anonymous = app.Client();
        var refused = await anonymous.GetAsync("metrics");
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);   // sent to sign in, like any unknown path
        Assert.DoesNotContain("safecities_", await refused.Content.ReadAsStringAsync());
        using var admin = app.AdminClient();
        var missing = await admin.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.DoesNotContain("safecities_", await missing.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_metrics_listener_is_bound_to_loopback_only()
    {
        Assert.Equal(HttpStatusCode.OK, (await Scraper.GetAsync(app.MetricsAddress)).StatusCode);
        // 127.0.0.2 reaches this host too, but only a listener on every address answers there.
        using var other = new TcpClient();
        var refused = await Assert.ThrowsAsync<SocketException>(() => other.ConnectAsync(IPAddress.Parse("127.0.0.2"), app.MetricsAddress.Port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task A_real_ingestion_counts_its_reads_and_shows_in_the_mediator_and_database_metrics()
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon);
        var now = DateTimeOffset.UtcNow.AddMinutes(-1);
        var before = await ScrapeAsync();

        Assert.Equal((3, 0), await app.SendReadsAsync(key, PlatesKit.Read("a", "OBS1", now), PlatesKit.Read("b", "OBS2", now), PlatesKit.Read("c", "OBS3", now)));
        Assert.Equal((1, 1), await app.SendReadsAsync(key, PlatesKit.Read("c", "OBS3", now), PlatesKit.Read("d", "OBS4", now)));

        (string, string)[] stored = [("outcome", "stored")], repeated = [("outcome", "duplicate")];
        (string, string)[] handled = [("message", "IngestPlateReadsCommand"), ("outcome", "ok")];
        double Delta(List<Sample> after, string name, (string, string)[] labels) => Value(after, name, labels) - Value(before, name, labels);
        // ASP.NET Core's own http.server.request.duration is not asserted here: in this test process other short-lived hosts (unit tests of
        // the health checks, the durability check) dispose meters of the same name, which ends OpenTelemetry's stream for the fixture's host
        // too — an artefact of several hosts in one process, not of a node (one host per process).
        var after = await ScrapeUntilAsync(m => Delta(m, "safecities_plates_reads_total", stored) >= 4 && Delta(m, "safecities_messaging_duration_seconds_count", handled) >= 2);
        Assert.Equal(4, Delta(after, "safecities_plates_reads_total", stored));
        Assert.Equal(1, Delta(after, "safecities_plates_reads_total", repeated));
        Assert.True(Delta(after, "safecities_messaging_duration_seconds_count", handled) >= 2);
        Assert.Contains(after, s => s.Name == "safecities_plates_ingestion_queued");
        Assert.Contains(after, s => s.Name.StartsWith("db_client_", StringComparison.Ordinal));   // Npgsql's own metrics
    }

    [Fact]
    public async Task A_gunshot_and_a_validation_refusal_are_counted()
    {
        var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed);
        using var device = app.Client(key);
        var before = await ScrapeAsync();
        var shot = Api.Gunshot();
        Assert.Equal(HttpStatusCode.Created, (await device.PostAsJsonAsync("api/v1/sensors/gunshots", shot)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await device.PostAsJsonAsync("api/v1/sensors/gunshots", shot)).StatusCode);
        var refused = await device.PostAsJsonAsync("api/v1/sensors/gunshots", Api.Gunshot(rounds: 0));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        (string, string)[] stored = [("origin", "alert"), ("outcome", "stored")], repeated = [("origin", "alert"), ("outcome", "duplicate")];
        var after = await ScrapeUntilAsync(m => Value(m, "safecities_sensors_gunshots_total", repeated) > Value(before, "safecities_sensors_gunshots_total", repeated));
        Assert.Equal(1, Value(after, "safecities_sensors_gunshots_total", stored) - Value(before, "safecities_sensors_gunshots_total", stored));
        Assert.Equal(1, Value(after, "safecities_sensors_gunshots_total", repeated) - Value(before, "safecities_sensors_gunshots_total", repeated));
        Assert.Equal(1, Value(after, "safecities_messaging_duration_seconds_count", ("message", "ReportGunshotCommand"), ("outcome", "invalid"))
                        - Value(before, "safecities_messaging_duration_seconds_count", ("message", "ReportGunshotCommand"), ("outcome", "invalid")));
    }

    [Fact]
    public async Task Every_outbox_has_a_lag_gauge_that_reads_its_marker()
    {
        var metrics = await ScrapeAsync();
        foreach (var outbox in new[] { "sensors", "alerts", "lighting", "video", "plates", "intelligence" })
        {
            Assert.Contains(metrics, s => s.Name == "safecities_outbox_oldest_pending_age_seconds" && s.Labels.GetValueOrDefault("outbox") == outbox);
            Assert.Contains(metrics, s => s.Name == "safecities_outbox_pending" && s.Labels.GetValueOrDefault("outbox") == outbox);
        }

        // A message stored ten minutes ago and never delivered (as a crash between commit and publish leaves it; the sweep not due yet).
        var id = Guid.NewGuid();
        await app.ExecuteAsync($"""
            INSERT INTO intelligence.outbox_messages (id, type, payload, created_at, next_attempt_at, attempts)
            VALUES ('{id}', 'test', jsonb_build_object(), now() - interval '10 minutes', now() + interval '1 hour', 0)
            """);
        try
        {
            (string, string) release = ("outbox", "intelligence");
            var lagging = await ScrapeUntilAsync(m => Value(m, "safecities_outbox_oldest_pending_age_seconds", release) >= 600);
            Assert.InRange(Value(lagging, "safecities_outbox_oldest_pending_age_seconds", release), 600, 700);
            Assert.True(Value(lagging, "safecities_outbox_pending", release) >= 1);

            await app.ExecuteAsync($"UPDATE intelligence.outbox_messages SET dispatched_at = now() WHERE id = '{id}'");
            var caughtUp = await ScrapeUntilAsync(m => Value(m, "safecities_outbox_oldest_pending_age_seconds", release) < 600);
            Assert.True(Value(caughtUp, "safecities_outbox_oldest_pending_age_seconds", release) < 600);
        }
        finally
        {
            await app.ExecuteAsync($"DELETE FROM intelligence.outbox_messages WHERE id = '{id}'");
        }
    }

    [Fact]
    public async Task SignalR_connections_are_measured()
    {
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(app.BaseAddress, "hubs/incidents"), o => o.Headers["X-Api-Key"] = app.AdminKey)
            .Build();
        await hub.StartAsync();
        var connected = await ScrapeUntilAsync(m => Value(m, "signalr_server_active_connections") >= 1);
        Assert.True(Value(connected, "signalr_server_active_connections") >= 1);
    }

    [Fact]
    public async Task Background_jobs_are_timed_with_their_outcome_through_the_hosts_filter_provider()
    {
        // The same filter provider and activator the Hangfire server of this host uses (the tests run without a server).
        var performer = new BackgroundJobPerformer(app.Services.GetRequiredService<IJobFilterProvider>(), app.Services.GetRequiredService<JobActivator>());
        var storage = app.Services.GetRequiredService<JobStorage>();
        var jobs = app.Services.GetRequiredService<IBackgroundJobClient>();
        var before = await ScrapeAsync();
        using (var connection = storage.GetConnection())
        {
            void Perform(Job job)
            {
                // Stored as Hangfire's client stores any job (scheduled far ahead: no server picks it up), performed as a worker would.
                var id = jobs.Create(job, new ScheduledState(TimeSpan.FromDays(1)));
                try
                {
                    performer.Perform(new PerformContext(storage, connection, new BackgroundJob(id, job, DateTime.UtcNow), new JobCancellationToken(false)));
                }
                finally
                {
                    jobs.Delete(id);
                }
            }
            Perform(Job.FromExpression<SampleJobs>(j => j.Succeed()));
            Assert.Throws<JobPerformanceException>(() => Perform(Job.FromExpression<SampleJobs>(j => j.Fail())));
        }
        (string, string)[] succeeded = [("job", "SampleJobs.Succeed"), ("outcome", "succeeded")], failed = [("job", "SampleJobs.Fail"), ("outcome", "failed")];
        var after = await ScrapeUntilAsync(m => Value(m, "safecities_jobs_duration_seconds_count", failed) > Value(before, "safecities_jobs_duration_seconds_count", failed));
        Assert.Equal(1, Value(after, "safecities_jobs_duration_seconds_count", succeeded) - Value(before, "safecities_jobs_duration_seconds_count", succeeded));
        Assert.Equal(1, Value(after, "safecities_jobs_duration_seconds_count", failed) - Value(before, "safecities_jobs_duration_seconds_count", failed));
    }

    public sealed class SampleJobs
    {
        public void Succeed()
        {
        }

        public void Fail() => throw new InvalidOperationException("a failing job");
    }

    [Fact]
    public async Task Liveness_checks_no_dependency_and_answers_json()
    {
        using var anonymous = app.Client();
        var response = await anonymous.GetAsync("health/live");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.ReadJsonAsync();
        Assert.Equal("Healthy", body["status"]!.GetValue<string>());
        Assert.Empty(body["checks"]!.AsArray());
    }

    [Fact]
    public async Task Readiness_lists_each_dependency_and_the_unsafe_test_cluster_as_degraded_without_details_for_anonymous_callers()
    {
        using var anonymous = app.Client();
        var response = await anonymous.GetAsync("health/ready");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);   // degraded still serves
        var body = JsonNode.Parse(text)!;
        Assert.Equal("Degraded", body["status"]!.GetValue<string>());
        var checks = body["checks"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!);
        Assert.Equal(["database", "database-durability", "hangfire-storage"], checks.Keys.Order(StringComparer.Ordinal));   // no Redis configured
        Assert.Equal("Healthy", checks["database"]["status"]!.GetValue<string>());
        Assert.Equal("Healthy", checks["hangfire-storage"]["status"]!.GetValue<string>());
        Assert.Equal("Degraded", checks["database-durability"]["status"]!.GetValue<string>());
        Assert.All(checks.Values, c => Assert.True(c["durationMs"]!.GetValue<double>() >= 0));
        Assert.All(checks.Values, c => Assert.Null(c["description"]));
        Assert.DoesNotContain("fsync", text);
        Assert.DoesNotContain("Password", text, StringComparison.OrdinalIgnoreCase);

        // /health keeps its plain answer: the dependencies only, so the unsafe settings do not change it.
        var legacy = await anonymous.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, legacy.StatusCode);
        Assert.Equal("Healthy", await legacy.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Administrators_see_what_readiness_found()
    {
        using var admin = app.AdminClient();
        var body = await (await admin.GetAsync("health/ready")).ReadJsonAsync();
        var durability = body["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "database-durability")!;
        var description = durability["description"]!.GetValue<string>();
        Assert.Contains("fsync=off (must be on)", description);
        Assert.Contains("synchronous_commit=off (must be on)", description);
        Assert.Contains("full_page_writes=off (must be on)", description);
        Assert.DoesNotContain("jit", description);   // the app's connections run with jit=off
        Assert.Contains("Deployment: the database settings production needs", description);
        Assert.DoesNotContain("Host=", body.ToJsonString());
    }

    private sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    private async Task<List<Sample>> ScrapeAsync()
    {
        var text = await Scraper.GetStringAsync(app.MetricsAddress);
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
                continue;
            var m = SampleLine().Match(line);
            Assert.True(m.Success, $"not a Prometheus sample line: {line}");
            var labels = LabelPair().Matches(m.Groups["labels"].Value).ToDictionary(l => l.Groups[1].Value, l => l.Groups[2].Value);
            var value = m.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                var v => double.Parse(v, CultureInfo.InvariantCulture),
            };
            samples.Add(new Sample(m.Groups["name"].Value, labels, value));
        }
        return samples;
    }

    /// <summary>The exporter keeps a response for 300 ms and the outbox gauges for 5 s: scrape until the expected change shows (at most 15 s).</summary>
    private async Task<List<Sample>> ScrapeUntilAsync(Func<List<Sample>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var samples = await ScrapeAsync();
            if (done(samples) || DateTime.UtcNow > deadline)
                return samples;
            await Task.Delay(250);
        }
    }

    /// <summary>The sum of the samples named <paramref name="name"/> whose labels include all of <paramref name="labels"/> (0 when none).</summary>
    private static double Value(List<Sample> samples, string name, params (string Key, string Value)[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Key) == l.Value)).Sum(s => s.Value);

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( \d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)" """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex LabelPair();
}
