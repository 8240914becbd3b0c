using Mediator;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Platform.Demo;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Tests.Integration.Lighting;

namespace SafeCities.Tests.Integration;

/// <summary>
/// In the demo city people call some of the gunfire in — a call for service through the police's records feed, as a CAD system's, a minute
/// to four after the shots — so that the unreported-gunfire page has calls to join and a share left unreported.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DemoCallersTests(AppFixture app)
{
    [Fact]
    public async Task Some_gunshot_incidents_are_called_in_after_their_callers_delay_once_each_and_the_unreported_page_counts_them_called()
    {
        if (!(await app.SendAsync(new ListAgenciesQuery())).Any(a => a.Name == DemoCitySeeder.PoliceName))
            await app.SendAsync(new RegisterAgencyCommand(DemoCitySeeder.PoliceName, AgencyKinds.Police, State: "DC", PartOfCity: true));
        // Gunshots until some will be called in and some not (about three in five are).
        var incidents = new List<Guid>();
        while (incidents.Count < 4 || incidents.All(DemoCallers.Calls) || !incidents.Any(DemoCallers.Calls))
        {
            var at = Api.Place();
            incidents.Add(await app.PostGunshotAsync(at.Lat, at.Lon));
        }
        var opened = new Dictionary<Guid, (DateTimeOffset At, double Lat, double Lon)>();
        foreach (var id in incidents)
        {
            var i = (await app.SendAsync(new GetIncidentQuery(id, WithTimeline: false)))!.Incident;
            opened[id] = (i.OpenedAt, i.Latitude, i.Longitude);
        }

        var first = opened.Values.Min(o => o.At);
        var clock = new FakeTimeProvider(first);
        var callers = new DemoCallers(app.Services.GetRequiredService<IServiceScopeFactory>(), clock, NullLogger<DemoCallers>.Instance, callsFrom: first);
        async Task RoundAsync(DateTimeOffset at)
        {
            clock.SetUtcNow(at);
            await app.InScopeAsync(async sp => { await callers.CallAsync(sp.GetRequiredService<ISender>(), CancellationToken.None); return 0; });
        }
        Task<long> CallsAsync(Guid id) => app.CountAsync($"SELECT count(*) FROM intelligence.records WHERE source_id = '{DemoCallers.CallId(id)}'");

        // Nobody has called within the first minute.
        await RoundAsync(first + TimeSpan.FromSeconds(59));
        foreach (var id in incidents)
            Assert.Equal(0, await CallsAsync(id));

        // Four minutes after the last shots: each incident that is called in has its one call, of a gunfire type, dated its caller's delay
        // after the shots and placed up to 150 m from them; the others have none.
        await RoundAsync(opened.Values.Max(o => o.At) + TimeSpan.FromMinutes(4));
        await RoundAsync(opened.Values.Max(o => o.At) + TimeSpan.FromMinutes(5));
        foreach (var id in incidents)
        {
            Assert.Equal(DemoCallers.Calls(id) ? 1 : 0, await CallsAsync(id));
            if (!DemoCallers.Calls(id))
                continue;
            var call = await app.InScopeAsync(async sp =>
            {
                await using var cmd = sp.GetRequiredService<Npgsql.NpgsqlDataSource>().CreateCommand(
                    $"SELECT started_at, latitude, longitude, details::jsonb ->> 'callType' FROM intelligence.records WHERE source_id = '{DemoCallers.CallId(id)}'");
                await using var r = await cmd.ExecuteReaderAsync();
                Assert.True(await r.ReadAsync());
                return (At: r.GetFieldValue<DateTimeOffset>(0), Lat: r.GetDouble(1), Lon: r.GetDouble(2), Type: r.GetString(3));
            });
            Assert.Equal(opened[id].At + DemoCallers.DelayOf(id), call.At, TimeSpan.FromMilliseconds(1));
            Assert.InRange(DemoCallers.DelayOf(id), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(4));
            Assert.True(GeoMath.DistanceMeters(call.Lat, call.Lon, opened[id].Lat, opened[id].Lon) <= 151);
            Assert.Contains(call.Type, new[] { "shots fired", "sounds of gunshots" });
        }

        // The unreported-gunfire page joins them: the called incidents count as called in, the others as nobody's call.
        var report = await app.SendAsync(new GetGunfireReportingQuery(first.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(10)));
        foreach (var id in incidents)
            Assert.Equal(DemoCallers.Calls(id), report.Detections.Single(d => d.Id == id).Called);
    }
}
