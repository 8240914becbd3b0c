using System.Diagnostics;
using SafeCities.Benchmarks.Nodes;

namespace SafeCities.Tests.Nodes;

[Collection(NodesCollection.Name)]
[Trait("Category", "Nodes")]
public sealed class CrashRestartTests
{
    // The rows a node killed during recurring-job scheduling left behind (issue 9): the scheduler's lock, one job's registration lock
    // and a job's state lock. Hangfire.PostgreSql keeps a lock as a row until its holder deletes it.
    private static readonly string[] LeftBehind =
        ["hangfire:recurring-jobs:lock", "hangfire:lock:recurring-job:lighting:restore-overdue", "hangfire:job:187:state-lock"];

    [Fact]
    public async Task Given_a_kill_9_during_recurring_job_scheduling_then_the_restarted_app_is_healthy_within_30_s_and_stores_its_recurring_jobs()
    {
        await using var database = await ScratchDatabase.CreateAsync("safecities_crash");
        var settings = NodeCluster.NodeSettings(database.ConnectionString, $"crash-admin-{Guid.NewGuid():N}", AppFixture.DemoPassword, redis: null);
        var app = AppProcess.Start("crash-restart", settings, Chromium.ResultsDirectory);
        try
        {
            await app.WaitHealthyAsync(TimeSpan.FromSeconds(90));
            var jobs = await WaitForAsync(async () => await RecurringJobIdsAsync(database) is { Count: >= 2 } ids ? ids : null, TimeSpan.FromSeconds(60),
                "the first start stored no recurring jobs");
            Assert.Contains("lighting:restore-overdue", jobs);
            Assert.Contains("outbox:sweep", jobs);

            // Kill it the moment it holds one of Hangfire's locks, if that is seen within a few seconds; then make sure the rows of the
            // reported crash are there too, so the restart meets them however the timing went.
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < TimeSpan.FromSeconds(5) && await database.CountAsync("SELECT count(*) FROM hangfire.lock") == 0)
                await Task.Delay(5);
            app.Kill();
            foreach (var resource in LeftBehind)
                await database.ExecuteAsync($"INSERT INTO hangfire.lock (resource, acquired) VALUES ('{resource}', now() AT TIME ZONE 'UTC') ON CONFLICT DO NOTHING");
            // As in a first start (or an upgrade that adds a job) killed before its jobs were stored: the restart has to store them.
            await database.ExecuteAsync("DELETE FROM hangfire.set WHERE key = 'recurring-jobs'; DELETE FROM hangfire.hash WHERE key LIKE 'recurring-job:%'");
            var killedAt = DateTime.UtcNow;

            app = app.StartAgain();
            var healthyAfter = await app.WaitHealthyAsync(TimeSpan.FromSeconds(30));
            Assert.True(healthyAfter < TimeSpan.FromSeconds(30), $"healthy only {healthyAfter.TotalSeconds:0.0} s after the restart");

            // It serves while the jobs wait for the stale locks to age out (30 s), then stores every one of them.
            var stored = await WaitForAsync(async () => await RecurringJobIdsAsync(database) is var ids && ids.SetEquals(jobs) ? ids : null,
                TimeSpan.FromSeconds(90), "the restarted app did not store its recurring jobs");
            Assert.Equal(jobs.Order(), stored.Order());
            Assert.False(app.HasExited, "the restarted app exited");
            using var http = new HttpClient { BaseAddress = app.BaseAddress };
            Assert.True((await http.GetAsync("health")).IsSuccessStatusCode);
            // The scheduler's and the registration's stale rows are taken over (the state lock of a job nobody touches again just stays):
            // the registration's at once, the scheduler's on its next poll (every 15 s) once the row is 30 s old.
            await WaitForAsync(async () => await database.CountAsync(
                    $"SELECT count(*) FROM hangfire.lock WHERE acquired <= '{killedAt:O}'::timestamp AND resource IN ('{LeftBehind[0]}', '{LeftBehind[1]}')") == 0
                    ? "taken over" : null,
                TimeSpan.FromSeconds(60), "the stale Hangfire lock rows were not taken over");
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    private static async Task<HashSet<string>> RecurringJobIdsAsync(ScratchDatabase database) =>
        [.. await database.StringsAsync("SELECT value FROM hangfire.set WHERE key = 'recurring-jobs'")];

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string failure) where T : class
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } value)
                return value;
            Assert.True(watch.Elapsed < timeout, $"{failure} within {timeout.TotalSeconds:0} s");
            await Task.Delay(250);
        }
    }
}
