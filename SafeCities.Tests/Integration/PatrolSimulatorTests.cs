using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Modules.Platform.Demo;

namespace SafeCities.Tests.Integration;

/// <summary>The demo city's patrol cars share positions through the same command as an officer's phone, and stay on their beat.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PatrolSimulatorTests(AppFixture app)
{
    private const string Units = "'officer@safecities.test', 'unit-7d21', 'unit-7d34'";

    [Fact]
    public async Task Demo_patrols_report_positions_every_20_seconds_and_move_about_160_m_within_their_beat()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var patrols = new PatrolSimulator(app.Services.GetRequiredService<IServiceScopeFactory>(), clock, NullLogger<PatrolSimulator>.Instance);
        await patrols.StartAsync(CancellationToken.None);
        try
        {
            var first = await PositionsAsync(clock, null);
            var second = await PositionsAsync(clock, first);

            foreach (var (unit, (lat, lon)) in second)
            {
                var step = GeoMath.DistanceMeters(first[unit].Latitude, first[unit].Longitude, lat, lon);
                Assert.InRange(step, 150, 170);
                Assert.InRange(GeoMath.DistanceMeters(lat, lon, DemoCitySeeder.CenterLat, DemoCitySeeder.CenterLon), 0, 2000);
            }
        }
        finally
        {
            await patrols.StopAsync(CancellationToken.None);
            await app.ExecuteAsync($"DELETE FROM alerts.officer_positions WHERE user_name IN ({Units})");
        }
    }

    /// <summary>
    /// The three units' positions once they are all there and (when <paramref name="before"/> is given) all have moved; the simulator's
    /// clock goes forward a second per look (it runs its loop on its own thread, so when its timer starts is not ours to know).
    /// </summary>
    private async Task<Dictionary<string, (double Latitude, double Longitude)>> PositionsAsync(FakeTimeProvider clock,
        Dictionary<string, (double Latitude, double Longitude)>? before)
    {
        for (var i = 0; i < 200; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            var now = await app.InScopeAsync(async sp =>
            {
                var db = sp.GetRequiredService<Npgsql.NpgsqlDataSource>();
                await using var cmd = db.CreateCommand($"SELECT user_name, latitude, longitude FROM alerts.officer_positions WHERE user_name IN ({Units})");
                await using var r = await cmd.ExecuteReaderAsync();
                var rows = new Dictionary<string, (double, double)>();
                while (await r.ReadAsync())
                    rows[r.GetString(0)] = (r.GetDouble(1), r.GetDouble(2));
                return rows;
            });
            if (now.Count == 3 && (before is null || now.All(kv => kv.Value != before[kv.Key])))
                return now;
            await Task.Delay(50);
        }
        Assert.Fail("the patrols did not report (or did not move)");
        return null!;
    }
}
