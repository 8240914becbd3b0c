using Microsoft.Playwright;
using SafeCities.Tests.Integration.Plates;

namespace SafeCities.Tests.Browser;

/// <summary>
/// Vehicles seen near an incident, ranked on its page: the listed vehicle first, then the co-location's vehicles, then one read twice, then the
/// rest, folded after five.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class IncidentVehiclesRankTests(AppFixture app) : BrowserTest
{
    [Fact]
    public async Task The_listed_vehicle_comes_first_a_vehicle_read_twice_next_and_the_rest_fold()
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon, 80, 0);
        var list = await app.CreateHotlistAsync();
        var listed = HotlistKit.Plate();
        await app.AddEntryAsync(list, listed, reason: "stolen vehicle");
        var twice = HotlistKit.Plate();
        var others = Enumerable.Range(0, 6).Select(_ => HotlistKit.Plate()).ToList();
        var shotAt = DateTimeOffset.UtcNow.AddSeconds(-20);
        // The listed vehicle was read first (oldest): without ranking it would be last.
        await app.SendReadsAsync(key, PlatesKit.Read(Guid.NewGuid().ToString("N"), listed, shotAt.AddSeconds(-100)));
        await app.SendReadsAsync(key, PlatesKit.Read(Guid.NewGuid().ToString("N"), twice, shotAt.AddSeconds(-90)));
        await app.SendReadsAsync(key, PlatesKit.Read(Guid.NewGuid().ToString("N"), twice, shotAt.AddSeconds(-80)));
        for (var i = 0; i < others.Count; i++)
            await app.SendReadsAsync(key, PlatesKit.Read(Guid.NewGuid().ToString("N"), others[i], shotAt.AddSeconds(-70 + 5 * i)));
        var incidentId = await app.ReportGunshotAsync(lat, lon, shotAt);
        await app.WaitForTimelineAsync(incidentId, "IncidentReadsCaptured");

        await using var walk = await RoleWalk.StartAsync(Browser, app, Users.Commander, RoleWalk.Desktop, "vehicles-ranked");
        await walk.GotoAsync($"/Alerts/Incidents/Details/{incidentId}");
        var items = walk.Page.Locator("#incident-plate-reads li[data-read-id]");
        await Assertions.Expect(items).ToHaveCountAsync(9);
        await Assertions.Expect(items.First).ToContainTextAsync(listed, new() { Timeout = 10000 });
        await Assertions.Expect(items.First).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("list-group-item-warning"));
        await Assertions.Expect(items.First.Locator(".listed-badge")).ToHaveTextAsync("hotlist");
        await Assertions.Expect(walk.Page.Locator("#incident-plate-reads .listed-badge")).ToHaveCountAsync(1);
        await Assertions.Expect(items.Nth(1)).ToContainTextAsync(twice);
        await Assertions.Expect(items.Nth(2)).ToContainTextAsync(twice);
        await Assertions.Expect(walk.Page.Locator("#incident-plate-reads li[data-read-id]:visible")).ToHaveCountAsync(5);
        var fold = walk.Page.Locator("#incident-plate-reads .vehicle-fold button");
        await Assertions.Expect(fold).ToHaveTextAsync("4 more vehicles");
        await walk.ShotAsync("incident");

        // The automatic co-location's entry (as the live timeline appends it) names a vehicle: it moves up to second, after the listed one.
        var colocated = others[0];
        await walk.Page.EvaluateAsync("""
            p => {
              const li = Object.assign(document.createElement('li'), { className: 'list-group-item',
                textContent: `Plates 1 vehicle also seen near related open incidents: ${p} (DC) near 1 other` });
              Object.assign(li.dataset, { entryId: 'colocated-test', module: 'Plates', kind: 'VehiclesColocated', at: new Date().toISOString() });
              document.getElementById('timeline').append(li);
            }
            """, colocated);
        await Assertions.Expect(items.Nth(1)).ToContainTextAsync(colocated);
        await Assertions.Expect(items.First).ToContainTextAsync(listed);
        await Assertions.Expect(items.Nth(2)).ToContainTextAsync(twice);
        await fold.ClickAsync();
        await Assertions.Expect(walk.Page.Locator("#incident-plate-reads li[data-read-id]:visible")).ToHaveCountAsync(9);
        await Assertions.Expect(fold).ToHaveTextAsync("Show fewer vehicles");
        await walk.AssertCleanAsync();
    }
}
