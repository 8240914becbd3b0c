using Microsoft.Playwright;

namespace SafeCities.Tests.Browser.Walks;

/// <summary>An administrator's device upkeep on a desktop and a phone: find the device, rename it, replace its key (shown once); find the silent
/// devices on the device health page.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class AdminWalkTests(AppFixture app) : BrowserTest
{
    [Fact]
    public async Task An_administrator_renames_a_device_and_replaces_its_key_on_desktop_and_phone()
    {
        foreach (var (viewport, name) in new[] { (RoleWalk.Desktop, "admin"), (RoleWalk.Phone, "admin-phone") })
        {
            var (id, oldKey) = await app.RegisterDeviceAsync(DeviceKinds.Camera, 38.90, -77.01);
            await using var walk = await RoleWalk.StartAsync(Browser, app, Users.Admin, viewport, name);
            var page = walk.Page;
            await walk.GotoAsync("/Admin/Devices?kind=camera");
            await walk.ShotAsync("devices");
            await page.Locator($"#devices a[href='/Admin/Device/{id}']").ClickAsync();
            await page.WaitForURLAsync($"**/Admin/Device/{id}");
            await Assertions.Expect(page.Locator("#device-key-state")).ToHaveTextAsync("active");

            var renamed = "Cam " + Guid.NewGuid().ToString("N")[..6];
            await page.GetByLabel("Name").FillAsync(renamed);
            await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
            await Assertions.Expect(page.Locator("#device-status")).ToHaveTextAsync("Saved.");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = renamed })).ToBeVisibleAsync();
            await walk.ShotAsync("renamed");

            await page.GetByRole(AriaRole.Button, new() { Name = "Replace key" }).ClickAsync();
            var shown = (await page.Locator("#new-device-key code").TextContentAsync())!.Trim();
            Assert.StartsWith("sck_", shown);
            Assert.NotEqual(oldKey, shown);
            await walk.ShotAsync("key-replaced");
            // The key is on that answer only: reloading the page does not show it again.
            await walk.GotoAsync($"/Admin/Device/{id}");
            await Assertions.Expect(page.Locator("#new-device-key")).ToHaveCountAsync(0);
            await walk.AssertCleanAsync();
        }
    }

    [Fact]
    public async Task An_administrator_finds_a_silent_sensor_on_device_health_on_desktop_and_phone()
    {
        var (sensor, _) = await app.RegisterDeviceAsync(DeviceKinds.AcousticSensor, 38.91, -77.02);
        await app.ExecuteAsync($"UPDATE sensors.devices SET registered_at = now() - interval '4 days', last_seen_at = now() - interval '3 days' WHERE id = '{sensor}'");
        foreach (var (viewport, name) in new[] { (RoleWalk.Desktop, "admin-health"), (RoleWalk.Phone, "admin-health-phone") })
        {
            await using var walk = await RoleWalk.StartAsync(Browser, app, Users.Admin, viewport, name);
            var page = walk.Page;
            await walk.GotoAsync("/Admin/DeviceHealth");
            await Assertions.Expect(page.Locator("#health-summary [data-count='silent']")).Not.ToHaveTextAsync("0");
            await Assertions.Expect(page.Locator($"#device-health tr[data-device-id='{sensor}'] .health-status")).ToHaveTextAsync("silent");
            // One marker per device shown.
            await Assertions.Expect(page.Locator("#health-map path.leaflet-interactive")).ToHaveCountAsync(await page.Locator("#device-health tr[data-device-id]").CountAsync());
            await walk.ShotAsync("all");

            // The summary's "silent" button filters; the kind filter narrows to acoustic sensors.
            await page.Locator("#health-summary a[data-status='silent']").ClickAsync();
            await page.WaitForURLAsync("**/Admin/DeviceHealth?status=silent*");
            await page.Locator("#health-kind").SelectOptionAsync(DeviceKinds.AcousticSensor);
            await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
            await page.WaitForURLAsync("**kind=acoustic-sensor*");
            var row = page.Locator($"#device-health tr[data-device-id='{sensor}']");
            await Assertions.Expect(row.Locator(".last-heard")).ToContainTextAsync("3 days ago");
            Assert.Equal(0, await page.Locator("#device-health tr[data-status]:not([data-status='silent'])").CountAsync());
            Assert.Equal(0, await page.Locator("#device-health tr[data-kind]:not([data-kind='acoustic-sensor'])").CountAsync());
            await walk.ShotAsync("silent-sensors");
            await walk.AssertCleanAsync();
        }
    }
}
