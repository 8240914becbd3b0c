using Microsoft.Playwright;

namespace SafeCities.Tests.Browser.Walks;

/// <summary>An administrator's device upkeep on a desktop and a phone: find the device, rename it, replace its key (shown once).</summary>
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
}
