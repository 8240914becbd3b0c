using Microsoft.Playwright;
using SafeCities.Tests.Integration.Intelligence;

namespace SafeCities.Tests.Browser;

/// <summary>
/// Air-gapped by default: each role's main pages, on a desktop or a phone, fetch nothing from any host but the app's own (no map tiles are
/// configured in the test app), log no console error and get no answer ≥ 500 — the API reference included.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class AirGappedTests(AppFixture app) : BrowserTest
{
    [Fact]
    public async Task The_main_pages_of_every_role_load_nothing_from_outside_the_apps_origin()
    {
        var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed);
        using var device = app.Client(key);
        var (lat, lon) = Api.Place();
        var id = (await (await device.PostAsJsonAsync("api/v1/sensors/gunshots", Api.Gunshot(null, lat, lon, 2))).ReadJsonAsync())["incidentId"]!.GetValue<Guid>();
        var oversight = await app.CreateUserAsync(Roles.Oversight);
        foreach (var (who, viewport, paths) in new (string?, ViewportSize, string[])[]
                 {
                     (Users.Commander, RoleWalk.Desktop, ["/", $"/Alerts/Incidents/Details/{id}"]),
                     (Users.Officer, RoleWalk.Phone, [$"/respond/{id}", "/Plates/Hits"]),
                     (Users.Analyst, RoleWalk.Desktop, ["/Plates/Search", "/Intelligence/Search"]),
                     (oversight, RoleWalk.Desktop, ["/Audit", "/Transparency"]),
                     (null, RoleWalk.Phone, ["/Transparency", "/report"]),
                     (Users.Admin, RoleWalk.Desktop, ["/api/docs"]),
                 })
        {
            await using var walk = await RoleWalk.StartAsync(Browser, app, who, viewport, $"airgap-{(who ?? "public").Split('@')[0]}");
            foreach (var path in paths)
            {
                await walk.GotoAsync(path);
                var step = path.Trim('/').Split('/')[0].ToLowerInvariant();
                await walk.ShotAsync(step.Length == 0 ? "board" : step);
            }
            if (paths.Contains("/api/docs"))
            {
                // The reference is drawn (its operations are listed), without hosted-service buttons.
                await Assertions.Expect(walk.Page.GetByText("/api/v1/intelligence/search").First).ToBeVisibleAsync(new() { Timeout = 15000 });
                foreach (var hosted in (string[])["Ask AI", "Deploy", "Open API Client"])
                    await Assertions.Expect(walk.Page.GetByRole(AriaRole.Button, new() { Name = hosted })).ToHaveCountAsync(0);
            }
            await walk.AssertCleanAsync();
        }
    }
}
