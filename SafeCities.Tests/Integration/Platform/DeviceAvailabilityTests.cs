using System.Text.Json;
using System.Threading.Channels;
using SafeCities.Modules.Platform.Devices;
using SafeCities.Tests.Integration.Intelligence;
using SafeCities.Tests.Integration.Sensors;

namespace SafeCities.Tests.Integration.Platform;

/// <summary>
/// Offline detection: a sensor silent past its kind's threshold is reported offline to command staff once (however often the check runs),
/// and back once when it is heard again.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DeviceAvailabilityTests(AppFixture app)
{
    [Fact]
    public async Task A_silent_sensor_is_reported_offline_once_and_back_once_when_it_is_heard_again()
    {
        var (id, key) = await app.RegisterDeviceAsync(DeviceKinds.EnvironmentalSensor);
        using var admin = app.AdminClient();
        var name = (await (await admin.GetAsync("api/v1/devices?kind=environmental-sensor")).ReadJsonAsync()).AsArray()
            .Single(d => d!["id"]!.GetValue<Guid>() == id)!["name"]!.GetValue<string>();
        // Registered three hours ago, last heard two hours ago: environmental sensors are silent after 60 minutes.
        await app.ExecuteAsync($"UPDATE sensors.devices SET registered_at = now() - interval '3 hours', last_seen_at = now() - interval '2 hours' WHERE id = '{id}'");

        var commander = await app.CreateUserAsync(Roles.Commander);
        var notices = Channel.CreateUnbounded<JsonElement>();
        await using var board = await app.BoardAsync(commander, notices);
        bool Mine(JsonElement n) => n.GetProperty("title").GetString()!.EndsWith(name, StringComparison.Ordinal);

        await RunCheckAsync();
        var offline = await notices.NextAsync(n => Mine(n));
        Assert.Equal("DeviceOffline", offline.GetProperty("kind").GetString());
        Assert.Equal("/Admin/DeviceHealth?status=silent", offline.GetProperty("link").GetString());
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM platform.offline_devices WHERE device_id = '{id}'"));

        // The check runs again while the sensor stays silent: nothing new. Then the sensor reports and the check runs: it is back. The only
        // notice about it between the two must be that one.
        await RunCheckAsync();
        await RunCheckAsync();
        using (var device = app.Client(key))
            Assert.Equal(HttpStatusCode.OK, (await device.PostAsync("api/v1/sensors/readings",
                SensorsTestKit.Readings(("r1", DateTimeOffset.UtcNow.AddSeconds(-5), "pm2_5", 8)))).StatusCode);
        await RunCheckAsync();
        var next = await notices.NextAsync(n => Mine(n));
        Assert.Equal("DeviceBack", next.GetProperty("kind").GetString());
        Assert.Contains("offline for", next.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM platform.offline_devices WHERE device_id = '{id}'"));
    }

    private Task RunCheckAsync() => app.InScopeAsync(async sp =>
    {
        await sp.GetRequiredService<DeviceAvailabilityJob>().RunAsync(CancellationToken.None);
        return true;
    });
}
