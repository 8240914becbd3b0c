using System.Globalization;
using Mediator;
using Microsoft.Extensions.Options;
using SafeCities.Modules.Intelligence.Analysis.Hotspots;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Tests.Integration.Lighting;
using SafeCities.Tests.Integration.Platform;
using static SafeCities.Tests.Integration.Intelligence.IntelApi;

namespace SafeCities.Tests.Integration.Intelligence;

/// <summary>The hotspot job on the real app: forecasts a shift from seeded gunshot incidents and calls, scores it once the shift is over, the page shows it.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class HotspotForecastTests(AppFixture app)
{
    [Fact]
    public async Task The_job_forecasts_the_next_shift_scores_it_after_it_ended_and_the_page_shows_the_scores()
    {
        var shift = await HotspotKit.SeedAsync(app, DateTimeOffset.UtcNow.AddDays(-3));
        // Two police districts split the area; the spot is in the western one.
        var west = $"HW{Guid.NewGuid():N}"[..8];
        var east = $"HE{Guid.NewGuid():N}"[..8];
        await app.ImportDistrictsAsync(
            DistrictKit.Rectangle(west, "Hotspot West", HotspotKit.SpotLat - 0.06, HotspotKit.SpotLon - 0.06, HotspotKit.SpotLat + 0.06, HotspotKit.SpotLon + 0.001),
            DistrictKit.Rectangle(east, "Hotspot East", HotspotKit.SpotLat - 0.06, HotspotKit.SpotLon + 0.001, HotspotKit.SpotLat + 0.06, HotspotKit.SpotLon + 0.06));
        // A call the dispatch system could not geocode, exported at 0°, 0° (as CAD extracts do): not the city's. It once stretched the
        // burglary grid from Baltimore to the Gulf of Guinea — over a billion cells, a job that never ended.
        var (_, cad) = await app.RegisterAgencyAsync("police");
        await app.PushOkAsync(cad, [new
        {
            kind = "call-for-service", sourceId = Unique("cfs"), callType = "Burglary", startedAt = shift.AddDays(-2), latitude = 0.0, longitude = 0.0,
            address = "UNKNOWN",
        }]);
        var before = await app.RunHotspotJobAsync(shift.AddMinutes(-30));
        Assert.Equal(shift, before.NextShiftStart);
        Assert.Equal(0, await app.CountAsync(
            $"SELECT count(*) FROM intelligence.hotspot_forecasts WHERE window_start = '{shift:O}' AND (south < 38 OR north - south > 3 OR east - west > 3)"));
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM intelligence.hotspot_forecasts WHERE window_start = '{shift:O}' AND scored_at IS NOT NULL"));
        foreach (var type in (string[])[HotspotCrimeTypes.Gunshots, HotspotCrimeTypes.All, "calls:burglary"])
            Assert.Equal(HotspotModelNames.All.Count, await app.CountAsync($"SELECT count(*) FROM intelligence.hotspot_forecasts WHERE window_start = '{shift:O}' AND crime_type = '{type}'"));
        Assert.True(before.ForecastsMade >= 12, $"made {before.ForecastsMade}");
        // Flagged cells carry their source counts; the burglary map rests on calls only, the gunshot map on sensors only.
        Assert.Equal(0, await app.CountAsync(
            $"SELECT coalesce(sum(c.reported_events), 0) FROM intelligence.hotspot_cells c JOIN intelligence.hotspot_forecasts f ON f.id = c.forecast_id WHERE f.window_start = '{shift:O}' AND f.crime_type = 'gunshots'"));
        Assert.True(await app.CountAsync(
            $"SELECT coalesce(sum(c.reported_events), 0) FROM intelligence.hotspot_cells c JOIN intelligence.hotspot_forecasts f ON f.id = c.forecast_id WHERE f.window_start = '{shift:O}' AND f.crime_type = 'calls:burglary'") > 0);
        // The point process says why: its cells carry the background share.
        Assert.Equal(0, await app.CountAsync(
            $"SELECT count(*) FROM intelligence.hotspot_cells c JOIN intelligence.hotspot_forecasts f ON f.id = c.forecast_id WHERE f.window_start = '{shift:O}' AND f.model = 'sepp' AND c.background_share IS NULL"));

        // The fairness check per district: the spot's cell is in the west; every seeded event of the last year is counted in some row.
        var sepp = $"window_start = '{shift:O}' AND crime_type = 'gunshots' AND model = 'sepp'";
        Assert.Equal(1, await app.CountAsync(
            $"SELECT count(*) FROM intelligence.hotspot_forecasts f, jsonb_array_elements(f.districts) d WHERE {sepp} AND d->>'code' = '{west}' AND (d->>'flaggedCells')::int >= 1 AND (d->>'events')::int >= 80"));
        Assert.True(await app.CountAsync($"SELECT sum((d->>'events')::int) FROM intelligence.hotspot_forecasts f, jsonb_array_elements(f.districts) d WHERE {sepp}") >= 240);

        // What happened in the shift: six shots at the spot.
        await app.ExecuteAsync(HotspotKit.InsertIncidents(Enumerable.Range(0, 6).Select(i => (shift.AddHours(1 + i), HotspotKit.SpotLat, HotspotKit.SpotLon))));
        var again = await app.RunHotspotJobAsync(shift.AddMinutes(-20));
        Assert.Equal(0, again.ForecastsMade);   // already forecast: not twice
        Assert.Equal(0, again.ForecastsScored);  // not over yet

        var after = await app.RunHotspotJobAsync(shift.AddHours(8.5));
        Assert.True(after.ForecastsScored >= 12, $"scored {after.ForecastsScored}");
        var seppCaptured = await app.CountAsync($"SELECT captured FROM intelligence.hotspot_forecasts WHERE window_start = '{shift:O}' AND crime_type = 'gunshots' AND model = 'sepp'");
        var events = await app.CountAsync($"SELECT events FROM intelligence.hotspot_forecasts WHERE window_start = '{shift:O}' AND crime_type = 'gunshots' AND model = 'sepp'");
        Assert.True(events >= 6, $"{events} events in the window");
        Assert.True(seppCaptured >= 6, $"the point process flagged the spot's cell: captured {seppCaptured} of {events}");
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM intelligence.hotspot_forecasts WHERE window_start = '{shift:O}' AND scored_at IS NULL"));

        using var analyst = await app.SignedInAsync(Users.Analyst);
        var page = await analyst.GetStringAsync("Intelligence/Hotspots?type=gunshots&model=sepp");
        Assert.Contains("id=\"hotspot-scores\"", page);
        Assert.Contains("id=\"hotspot-verdict\"", page);
        Assert.Contains("Where the signal comes from", page);
        Assert.Contains("id=\"hotspot-districts\"", page);
        Assert.Contains("Hotspot West", page);
        var meanPai = await Scalar($"SELECT avg(pai) FROM intelligence.hotspot_forecasts WHERE crime_type = 'gunshots' AND model = 'sepp' AND pai IS NOT NULL AND window_end >= now() - interval '84 days'");
        Assert.Contains($"<td>{meanPai.ToString("0.00", CultureInfo.InvariantCulture)}</td>", page);
        Assert.Contains("mean PAI " + meanPai.ToString("0.00", CultureInfo.InvariantCulture), page);   // the verdict quotes the figures
        // A median of 0 (most shifts caught nothing in their flagged cells) is explained where it is shown, and only there.
        var overview = await app.SendAsync(new GetHotspotOverviewQuery(HotspotCrimeTypes.Gunshots, HotspotModelNames.Sepp));
        Assert.Equal(overview.Summary.Any(m => m.MedianPai == 0), page.Contains("id=\"median-zero\"", StringComparison.Ordinal));

        var bad = await analyst.GetStringAsync("Intelligence/Hotspots?type=gunshots&model=magic");
        Assert.Contains("&#x27;Model&#x27; must be one of", bad);

        using var officer = await app.SignedInAsync(Users.Officer);
        var refused = await officer.GetAsync("Intelligence/Hotspots");
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
    }

    private async Task<double> Scalar(string sql)
    {
        await using var db = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await db.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, db);
        return Convert.ToDouble(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}

/// <summary>Seeded gunshot incidents and calls for the hotspot job, and the job run at a chosen instant (as the recurring job would).</summary>
public static class HotspotKit
{
    // A spot away from the other tests' incidents (which are around Washington): a third of the seeded shots and all of the shift's are here.
    public const double SpotLat = 39.29, SpotLon = -76.61;

    /// <summary>240 shots over the 200 days before the first shift after <paramref name="around"/> (a third at the spot) and 30 burglary calls; that shift's start.</summary>
    public static async Task<DateTimeOffset> SeedAsync(AppFixture app, DateTimeOffset around)
    {
        var options = await app.InScopeAsync(sp => Task.FromResult(sp.GetRequiredService<IOptions<HotspotOptions>>().Value));
        var shift = RunHotspotForecastsCommandHandler.NextShiftStart(around, options);
        var random = new Random(7);
        await app.ExecuteAsync(InsertIncidents(Enumerable.Range(0, 240).Select(i =>
        {
            var spread = i % 3 == 0 ? 0.0002 : 0.05;
            return (shift.AddHours(-2 - random.NextDouble() * 24 * 200), SpotLat + Jitter(random, spread), SpotLon + Jitter(random, spread));
        })));
        var (_, feed) = await app.RegisterAgencyAsync("police");
        await app.PushOkAsync(feed, [.. Enumerable.Range(0, 30).Select(i => (object)new
        {
            kind = "call-for-service", sourceId = Unique("cfs"), callType = "Burglary", startedAt = shift.AddDays(-1 - i * 3),
            latitude = SpotLat + Jitter(random, 0.03), longitude = SpotLon + Jitter(random, 0.03), address = "1 Test St",
        })]);
        return shift;
    }

    public static async Task<HotspotRunDto> RunHotspotJobAsync(this AppFixture app, DateTimeOffset at) =>
        await app.InScopeAsync(async sp => await sp.GetRequiredService<ISender>().Send(new RunHotspotForecastsCommand(at)));

    public static string InsertIncidents(IEnumerable<(DateTimeOffset At, double Lat, double Lon)> shots) =>
        "INSERT INTO alerts.incidents (id, kind, status, title, latitude, longitude, location, opened_at, last_activity_at, rounds, detections, source) VALUES "
        + string.Join(',', shots.Select(s => string.Create(CultureInfo.InvariantCulture,
            $"('{Guid.NewGuid()}', 'gunshot', 'closed', 'Seeded shot', {s.Lat}, {s.Lon}, ST_SetSRID(ST_MakePoint({s.Lon}, {s.Lat}), 4326)::geography, '{s.At.UtcDateTime:O}', '{s.At.UtcDateTime:O}', 1, 1, 'hotspot-test')")));

    private static double Jitter(Random random, double degrees) => (random.NextDouble() * 2 - 1) * degrees;
}
