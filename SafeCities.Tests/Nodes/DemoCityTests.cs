using System.Diagnostics;
using SafeCities.Benchmarks.Nodes;
using SafeCities.Modules.Platform.Demo;

namespace SafeCities.Tests.Nodes;

/// <summary>
/// The README's first command, as the app runs it: the demo city seeds itself into an empty database — with a past year of calls for service
/// and the hotspot forecasts of the last shifts made and scored from it — and a restart seeds nothing twice.
/// </summary>
[Collection(NodesCollection.Name)]
[Trait("Category", "Nodes")]
public sealed class DemoCityTests
{
    [Fact]
    public async Task The_demo_city_starts_with_a_year_of_calls_and_forecasts_made_and_scored_from_it_and_a_restart_seeds_nothing_twice()
    {
        await using var database = await ScratchDatabase.CreateAsync("safecities_demo");
        var settings = NodeCluster.NodeSettings(database.ConnectionString, $"demo-admin-{Guid.NewGuid():N}", AppFixture.DemoPassword, redis: null);
        settings["Demo:Enabled"] = "true";
        settings["Demo:ForecastBackfillDays"] = "2";   // (28 in the demo: the same replay, shorter)
        var app = AppProcess.Start("demo-city", settings, Chromium.ResultsDirectory);
        try
        {
            var started = await app.WaitHealthyAsync(TimeSpan.FromSeconds(180));
            var calls = await database.CountAsync($"SELECT count(*) FROM intelligence.records WHERE kind = 'call-for-service' AND source_id LIKE '{DemoHistory.IdPrefix}%'");
            Assert.InRange(calls, 3000, 4500);
            Assert.Equal(3, await database.CountAsync("SELECT count(*) FROM platform.districts"));

            // In the background: each replayed shift forecast from what was known before it, the ended ones scored, and one for the shift
            // running now or the next — for gunshots, all events and the busiest call types, by every model.
            var watch = Stopwatch.StartNew();
            await Poll.UntilAsync(async () => await database.CountAsync(
                    "SELECT count(*) FROM intelligence.hotspot_forecasts WHERE window_end > now()") > 0, TimeSpan.FromSeconds(180),
                "no forecast for the shift running now or the next");
            Assert.True(await database.CountAsync("SELECT count(*) FROM intelligence.hotspot_forecasts WHERE scored_at IS NOT NULL") >= 5,
                "the replayed shifts that ended were not scored");
            Assert.Equal(0, await database.CountAsync("SELECT count(*) FROM intelligence.hotspot_forecasts WHERE issued_at >= window_start"));
            Assert.True(await database.CountAsync("SELECT count(DISTINCT crime_type) FROM intelligence.hotspot_forecasts") >= 5);
            var replayed = watch.Elapsed;

            // Started again: the same calls, no second history.
            await app.StopAsync();
            app = app.StartAgain();
            await app.WaitHealthyAsync(TimeSpan.FromSeconds(90));
            Assert.Equal(calls, await database.CountAsync($"SELECT count(*) FROM intelligence.records WHERE kind = 'call-for-service' AND source_id LIKE '{DemoHistory.IdPrefix}%'"));
            Console.WriteLine($"Demo city: healthy {started.TotalSeconds:0} s after start with {calls} calls; forecasts replayed {replayed.TotalSeconds:0} s later");
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
