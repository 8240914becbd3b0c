using Microsoft.Playwright;
using SafeCities.Tests.Integration.Sensors;

namespace SafeCities.Tests.Browser.Walks;

/// <summary>
/// Environmental sensors as their users see them: an administrator writes a burst-main rule on Sensor rules (a contradictory one first: refused,
/// nothing saved; the area's centre picked on the map), then a commander, on a desktop and a phone, finds the sensors with their values and
/// AQI colour, opens the water sensor's chart and switches its range.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class EnvironmentWalkTests(AppFixture app) : BrowserTest
{
    [Fact]
    public async Task An_administrator_writes_a_rule_and_a_commander_reads_the_sensors_on_the_map_and_their_charts()
    {
        var (lat, lon) = (38.86 + Random.Shared.NextDouble() * 0.01, -76.99 + Random.Shared.NextDouble() * 0.01);
        var (air, airKey) = await app.RegisterDeviceAsync(DeviceKinds.EnvironmentalSensor, lat, lon);
        var (water, waterKey) = await app.RegisterDeviceAsync(DeviceKinds.EnvironmentalSensor, lat - 0.002, lon + 0.002);
        var now = DateTimeOffset.UtcNow;
        using (var client = app.Client(airKey))
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("api/v1/sensors/readings", SensorsTestKit.Readings(
                ("a1", now.AddHours(-3), "pm2_5", 8), ("a2", now.AddMinutes(-1), "pm2_5", 60.2)))).StatusCode);
        using (var client = app.Client(waterKey))
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("api/v1/sensors/readings", SensorsTestKit.Readings(
                ("w1", now.AddHours(-5), "pipe_pressure", 420), ("w2", now.AddHours(-2), "pipe_pressure", 410), ("w3", now.AddMinutes(-1), "pipe_pressure", 415)))).StatusCode);

        var rule = $"Burst main {Guid.NewGuid():N}"[..20];
        await using (var walk = await RoleWalk.StartAsync(Browser, app, Users.Admin, RoleWalk.Desktop, "environment-rules-admin"))
        {
            var page = walk.Page;
            await walk.GotoAsync("/Sensors/Admin/Rules");
            await page.GetByLabel("Name").FillAsync(rule);
            await page.GetByLabel("Quantity").SelectOptionAsync("pipe_pressure");
            await page.GetByLabel("Watch a").SelectOptionAsync("below");
            await page.GetByLabel("Threshold").FillAsync("200");
            await page.GetByLabel("Clear level").FillAsync("150");
            await page.GetByLabel("Sustained (minutes)").FillAsync("1");
            await page.GetByLabel("Severity").SelectOptionAsync("high");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create rule" }).ClickAsync();
            await Assertions.Expect(page.Locator("#rule-form .validation-summary-errors, #rule-form [data-valmsg-for='Input.ClearLevel']"))
                .ToContainTextAsync(["must be at or above the threshold"]);
            await Assertions.Expect(page.Locator("#rules-map.leaflet-container")).ToBeVisibleAsync();
            await walk.ShotAsync("refused");
            Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM sensors.threshold_rules WHERE name = '{rule}'"));

            await page.GetByLabel("Clear level").FillAsync("300");
            await page.Locator("#rules-map").ClickAsync();
            await Assertions.Expect(page.GetByLabel("Radius (m)")).ToHaveValueAsync("500");
            await page.GetByLabel("Centre latitude").FillAsync(lat.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await page.GetByLabel("Centre longitude").FillAsync(lon.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await page.GetByLabel("Radius (m)").FillAsync("1000");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create rule" }).ClickAsync();
            await Assertions.Expect(page.Locator("#rule-status")).ToContainTextAsync($"Rule \"{rule}\" created.");
            await Assertions.Expect(page.Locator("#rules tr", new() { HasText = rule })).ToContainTextAsync("Pipe pressure ≤ 200 kPa for 1 min; clears above 300 kPa");
            await Assertions.Expect(page.Locator("#rules-map path.leaflet-interactive").First).ToBeVisibleAsync();
            await walk.ShotAsync("created");
            await walk.AssertCleanAsync();
        }
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'threshold-rule.created' AND details::text LIKE '%{rule}%'"));

        foreach (var (viewport, name) in new[] { (RoleWalk.Desktop, "environment-commander"), (RoleWalk.Phone, "environment-commander-phone") })
        {
            await using var walk = await RoleWalk.StartAsync(Browser, app, Users.Commander, viewport, name);
            var page = walk.Page;
            await walk.GotoAsync("/Sensors/Environment");
            var airRow = page.Locator($"#sensors tr[data-sensor-id='{air}']");
            // PM2.5 60.2 µg/m³ → AQI 154, "Unhealthy" (red).
            await Assertions.Expect(airRow.Locator(".aqi-chip.aqi-unhealthy")).ToHaveTextAsync("154");
            await Assertions.Expect(airRow).ToContainTextAsync("PM2.5 60.2 µg/m³");
            await Assertions.Expect(page.Locator($"#sensors tr[data-sensor-id='{water}']")).ToContainTextAsync("Pipe pressure 415 kPa");
            // The sensors' names and values stand beside their markers, but none covers another, another marker or the map's edge (those
            // without room show on hover).
            Assert.True(await page.Locator("#map .leaflet-tooltip:not(.district-label)").CountAsync() > 0, "no sensor is labelled on the map");
            Assert.Equal("", await MapLabels.ProblemsAsync(page, "map", ".leaflet-tooltip", markers: true));
            await walk.ShotAsync("sensors");

            await page.Locator($"#sensors tr[data-sensor-id='{water}'] .sensor-pick").ClickAsync();
            await Assertions.Expect(page.Locator("#series-charts canvas[data-quantity='pipe_pressure']")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#series-note")).ToContainTextAsync("mean per 5 min");
            await walk.ShotAsync("water-24h");
            await page.GetByRole(AriaRole.Button, new() { Name = "7 d" }).ClickAsync();
            await Assertions.Expect(page.Locator("#series-note")).ToContainTextAsync("mean per 30 min");
            await Assertions.Expect(page.Locator("#series-charts canvas[data-quantity='pipe_pressure']")).ToBeVisibleAsync();
            await walk.ShotAsync("water-7d");
            await walk.AssertCleanAsync();
        }
    }
}
