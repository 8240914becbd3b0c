using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SafeCities.Benchmarks;

namespace SafeCities.Tests.Nodes;

/// <summary>Two nodes that act as one: what one node is told, the other knows at once; one may die without losing what it acknowledged.</summary>
[Collection(NodesCollection.Name)]
[Trait("Category", "Nodes")]
public sealed partial class TwoNodeTests(TwoNodesFixture nodes) : BrowserTest, IClassFixture<TwoNodesFixture>
{
    [Fact]
    public async Task A_gunshot_posted_to_node_A_appears_on_a_board_connected_through_node_B_and_its_sign_in_works_on_A()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = nodes.B.BaseAddress.ToString() });
        var board = await context.NewPageAsync();
        var consoleErrors = ConsoleErrors(board);
        await board.GotoAsync("/");
        await SignInAsync(board, Users.Commander);
        await board.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await Assertions.Expect(board.Locator("#hub-status")).ToHaveTextAsync("live", new() { Timeout = 15000 });

        using var adminOnA = TwoNodesFixture.Client(nodes.A.BaseAddress, nodes.Cluster.AdminKey);
        var (_, feedKey) = await adminOnA.RegisterDeviceAsync(DeviceKinds.GunshotFeed);
        using var feedOnA = TwoNodesFixture.Client(nodes.A.BaseAddress, feedKey);
        var posted = await feedOnA.PostAsJsonAsync("api/v1/sensors/gunshots", Api.Gunshot(null, 38.8531 + Random.Shared.NextDouble() / 100, -76.9932, rounds: 4));
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var id = (await posted.ReadJsonAsync())["incidentId"]!.GetValue<Guid>();

        // Node A's hub message reaches node B's client through Redis.
        var row = board.Locator($"#incidents tr[data-incident-id='{id}']");
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 10000 });
        await Assertions.Expect(row).ToContainTextAsync("4 rounds");
        await board.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsDirectory, "two-nodes-board-on-b.png"), FullPage = true });

        // The sign-in cookie node B issued opens the board on node A (one Data Protection key ring); acknowledging there (A's page, A's
        // antiforgery token) reaches the board on B.
        var boardOnA = await context.NewPageAsync();
        consoleErrors.AddRange(ConsoleErrors(boardOnA));
        await boardOnA.GotoAsync(new Uri(nodes.A.BaseAddress, "/").ToString());
        Assert.Equal("/", new Uri(boardOnA.Url).AbsolutePath);
        await Assertions.Expect(boardOnA.Locator("#hub-status")).ToHaveTextAsync("live", new() { Timeout = 15000 });
        // And through nginx: the board's WebSocket passes the balancer (Host and the browser's Origin agree) and lands on either node.
        var boardViaNginx = await context.NewPageAsync();
        consoleErrors.AddRange(ConsoleErrors(boardViaNginx));
        await boardViaNginx.GotoAsync(new Uri(nodes.Cluster.BaseAddress, "/").ToString());
        Assert.Equal("/", new Uri(boardViaNginx.Url).AbsolutePath);
        await Assertions.Expect(boardViaNginx.Locator("#hub-status")).ToHaveTextAsync("live", new() { Timeout = 15000 });
        await boardOnA.Locator($"#incidents tr[data-incident-id='{id}']").GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "acknowledged", new() { Timeout = 10000 });
        await Assertions.Expect(boardViaNginx.Locator($"#incidents tr[data-incident-id='{id}']"))
            .ToHaveAttributeAsync("data-status", "acknowledged", new() { Timeout = 10000 });
        Assert.True(consoleErrors.Count == 0, string.Join(Environment.NewLine, consoleErrors));
    }

    [Fact]
    public async Task A_key_revoked_on_node_A_is_refused_on_node_B_within_a_second()
    {
        var cookies = new CookieContainer();
        using var adminOnA = TwoNodesFixture.Client(nodes.A.BaseAddress, cookies: cookies);
        using var adminOnB = TwoNodesFixture.Client(nodes.B.BaseAddress, cookies: cookies);
        Assert.Equal(HttpStatusCode.Redirect, (await adminOnB.SignInAsync(Users.Admin, AppFixture.DemoPassword)).StatusCode);

        // Created on node A, through its page, with the sign-in cookie node B issued.
        var name = $"bridge-{Guid.NewGuid():N}"[..20];
        var created = await adminOnA.PostFormAsync("Admin/ApiClients?handler=Create",
            new Dictionary<string, string> { ["Input.Name"] = name, ["Input.Role"] = Roles.Analyst });
        var key = NewKey().Match(created).Groups[1].Value;
        Assert.NotEmpty(key);
        using var onA = TwoNodesFixture.Client(nodes.A.BaseAddress, key);
        using var onB = TwoNodesFixture.Client(nodes.B.BaseAddress, key);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("api/v1/incidents")).StatusCode);   // node B now holds the key in its cache (30 s)
        Assert.Equal(HttpStatusCode.OK, (await onA.GetAsync("api/v1/incidents")).StatusCode);

        var page = await adminOnA.GetStringAsync("Admin/ApiClients");
        var action = WebUtility.HtmlDecode(RevokeAction(name).Match(page).Groups[1].Value);
        Assert.NotEmpty(action);
        var revoked = await adminOnA.PostAsync(action, new FormUrlEncodedContent(new Dictionary<string, string>
            { ["__RequestVerificationToken"] = Browserless.AntiforgeryToken(page) }));
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        var watch = Stopwatch.StartNew();

        HttpStatusCode status;
        while ((status = (await onB.GetAsync("api/v1/incidents")).StatusCode) == HttpStatusCode.OK && watch.Elapsed < TimeSpan.FromSeconds(5))
            await Task.Delay(10);
        var refusedAfter = watch.Elapsed;
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(refusedAfter < TimeSpan.FromSeconds(1), $"node B accepted the revoked key for {refusedAfter.TotalMilliseconds:0} ms");
        Assert.Equal(HttpStatusCode.Unauthorized, (await onA.GetAsync("api/v1/incidents")).StatusCode);
    }

    [Fact]
    public async Task Killing_node_A_under_plate_read_load_loses_no_acknowledged_read_while_clients_carry_on_through_nginx()
    {
        using var admin = TwoNodesFixture.Client(nodes.Cluster.BaseAddress, nodes.Cluster.AdminKey);
        var readers = new List<string>();
        for (var i = 0; i < 4; i++)
            readers.Add((await admin.RegisterDeviceAsync(DeviceKinds.PlateReader, 38.85 + i * 0.002, -76.99, new { headingDegrees = 90, lanes = 2 })).ApiKey);

        var acknowledged = new ConcurrentQueue<string>();
        int batchesAfterKill = 0, failedAttempts = 0, killed = 0;
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 6).Select(c => Task.Run(async () =>
        {
            // A reader's client: each batch is re-sent until it is acknowledged (5xx, 429 and broken connections are temporary).
            using var http = TwoNodesFixture.Client(nodes.Cluster.BaseAddress, readers[c % readers.Count]);
            for (var sequence = 0; !stop.IsCancellationRequested; sequence++)
            {
                var ids = Enumerable.Range(0, 25).Select(i => $"k9-{c}-{sequence}-{i}").ToArray();
                var capturedAt = DateTimeOffset.UtcNow.AddSeconds(-2);
                var body = new { reads = ids.Select((id, i) => new { readId = id, plate = PlatesIngestBenchmark.Plate(c * 100_000 + sequence * 25 + i), region = "DC", capturedAt, confidence = 0.9 }) };
                for (var attempt = 1; ; attempt++)
                {
                    Assert.True(attempt <= 100, $"client {c}: batch {sequence} never acknowledged");
                    try
                    {
                        using var response = await http.PostAsJsonAsync("api/v1/plates/reads", body);
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            foreach (var id in ids)
                                acknowledged.Enqueue(id);
                            if (Volatile.Read(ref killed) == 1)
                                Interlocked.Increment(ref batchesAfterKill);
                            break;
                        }
                        Assert.True((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests,
                            $"client {c}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                    }
                    Interlocked.Increment(ref failedAttempts);
                    await Task.Delay(100);
                }
            }
        })).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(4));
        var before = acknowledged.Count;
        nodes.A.Kill();
        Volatile.Write(ref killed, 1);
        await Task.Delay(TimeSpan.FromSeconds(6));
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        Assert.True(before > 0, "nothing was acknowledged before the kill");
        Assert.True(batchesAfterKill >= 10, $"only {batchesAfterKill} batches acknowledged after the kill: the clients did not carry on through nginx");
        var stored = (await nodes.Cluster.Database.StringsAsync("SELECT read_id FROM plates.plate_reads WHERE read_id LIKE 'k9-%'")).ToHashSet();
        var missing = acknowledged.Where(id => !stored.Contains(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {acknowledged.Count} acknowledged reads are not stored, e.g. {string.Join(", ", missing.Take(5))}");
        Assert.Equal(acknowledged.Count, acknowledged.Distinct().Count());
        Console.WriteLine($"kill -9 under load: {acknowledged.Count} reads acknowledged ({before} before the kill, {batchesAfterKill} batches after it), " +
                          $"{failedAttempts} attempts re-sent, all {stored.Count} stored");

        // Node A comes back; both Hangfire servers share the storage and trigger each recurring occurrence once.
        await nodes.Cluster.RestartAsync(0, TimeSpan.FromSeconds(60));
        const string recurringRuns = "FROM hangfire.job j JOIN hangfire.jobparameter p ON p.jobid = j.id AND p.name = 'RecurringJobId'";
        var watch = Stopwatch.StartNew();
        while (await nodes.Cluster.Database.CountAsync($"SELECT count(*) {recurringRuns}") == 0)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(70), "no recurring job ran on the two nodes");
            await Task.Delay(500);
        }
        Assert.Equal(0, await nodes.Cluster.Database.CountAsync(
            $"SELECT count(*) FROM (SELECT p.value, date_trunc('minute', j.createdat) {recurringRuns} GROUP BY 1, 2 HAVING count(*) > 1) twice"));
    }

    [GeneratedRegex("user-select-all\">([^<]+)</code>")]
    private static partial Regex NewKey();

    private static Regex RevokeAction(string name) => new($"<td[^>]*>{Regex.Escape(name)}</td>.*?action=\"([^\"]+)\"", RegexOptions.Singleline);
}
