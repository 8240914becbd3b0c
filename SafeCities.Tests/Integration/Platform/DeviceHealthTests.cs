using System.Text.RegularExpressions;
using Mediator;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Tests.Integration.Plates;
using SafeCities.Tests.Integration.Sensors;
using SafeCities.Tests.Integration.Video;

namespace SafeCities.Tests.Integration.Platform;

/// <summary>
/// Device health for administrators: each module says what it last heard from its devices, the platform judges ok / late / silent / failing
/// with each kind's thresholds. A sensor not heard for days is silent, a reader with a read minutes ago is ok, one quiet for hours is late,
/// a camera whose commands failed is failing with the error; the page shows each with the counts, and filters by status and kind.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed partial class DeviceHealthTests(AppFixture app)
{
    [Fact]
    public async Task A_silent_sensor_shows_silent_a_reader_with_a_recent_read_ok_a_quiet_one_late_and_a_failing_camera_failing()
    {
        var place = Api.Place();
        var (sensor, _) = await app.RegisterDeviceAsync(DeviceKinds.AcousticSensor, place.Lat, place.Lon);
        // Registered four days ago, last heard three days ago (acoustic sensors: silent after 48 h).
        Assert.Equal(1, await app.ExecuteAsync(
            $"UPDATE sensors.devices SET registered_at = now() - interval '4 days', last_seen_at = now() - interval '3 days' WHERE id = '{sensor}'"));
        var (reader, key) = await app.RegisterReaderAsync(place.Lat, place.Lon, 60, 90);
        await app.SendReadsAsync(key, PlatesKit.Read($"h-{Guid.NewGuid():N}", "HLT123", DateTimeOffset.UtcNow.AddMinutes(-3)));
        var (quiet, quietKey) = await app.RegisterReaderAsync(place.Lat, place.Lon, 90, 180);
        await app.SendReadsAsync(quietKey, PlatesKit.Read($"q-{Guid.NewGuid():N}", "QUI456", DateTimeOffset.UtcNow.AddHours(-2)));
        var (fresh, _) = await app.RegisterDeviceAsync(DeviceKinds.AcousticSensor, place.Lat, place.Lon);
        var (air, airKey) = await app.RegisterDeviceAsync(DeviceKinds.EnvironmentalSensor, place.Lat, place.Lon);
        using (var device = app.Client(airKey))
            Assert.Equal(HttpStatusCode.OK, (await device.PostAsync("api/v1/sensors/readings",
                SensorsTestKit.Readings(($"a-{Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddSeconds(-5), "pm2_5", 8)))).StatusCode);

        var camera = await app.CameraAsync(place, 40, 135, new { type = "ptz", rangeMeters = 250.0 });
        app.Driver().FailFor(camera);
        try
        {
            var incident = await app.PostGunshotAsync(place);
            using var api = app.AdminClient();
            await VideoTestKit.WaitForVideoEntryAsync(api, incident);
        }
        finally
        {
            app.Driver().Recover(camera);
        }

        var health = await app.InScopeAsync(async sp => await sp.GetRequiredService<ISender>().Send(new ListDeviceHealthQuery()));
        var of = health.ToDictionary(d => d.Id);
        Assert.Equal(DeviceHealthStatus.Silent, of[sensor].Status);
        Assert.Equal("gunshot report", of[sensor].LastHeard);
        Assert.Equal(TimeSpan.FromHours(48), of[sensor].SilentAfter);
        Assert.Equal(DeviceHealthStatus.Ok, of[air].Status);
        Assert.Equal("reading", of[air].LastHeard);
        Assert.Equal(TimeSpan.FromHours(1), of[air].SilentAfter);
        Assert.Equal(DeviceHealthStatus.Ok, of[reader].Status);
        Assert.Equal("plate read", of[reader].LastHeard);
        Assert.InRange(DateTimeOffset.UtcNow - of[reader].LastHeardAt!.Value, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(4));
        Assert.Equal(DeviceHealthStatus.Late, of[quiet].Status);
        // Never heard, registered just now: measured from registration, so not silent yet.
        Assert.Equal(DeviceHealthStatus.Ok, of[fresh].Status);
        Assert.Null(of[fresh].LastHeardAt);
        Assert.Equal(DeviceHealthStatus.Failing, of[camera].Status);
        Assert.StartsWith("command failed: point: camera not responding (simulated fault)", of[camera].LastError);
        Assert.Null(of[camera].LateAfter);
        // Worst first.
        Assert.Equal(health.Select(d => DeviceHealthStatus.All.ToList().IndexOf(d.Status)).Order(), health.Select(d => DeviceHealthStatus.All.ToList().IndexOf(d.Status)));

        // The page: one row per device with its status, the counts at the top, and filters that keep only what was asked for.
        using var admin = await app.SignedInAsync(Users.Admin);
        var page = await admin.GetStringAsync("Admin/DeviceHealth");
        Assert.Matches($@"data-device-id=""{sensor}"" data-status=""silent"" data-kind=""acoustic-sensor""", page);
        Assert.Matches($@"data-device-id=""{reader}"" data-status=""ok""", page);
        Assert.Matches($@"data-device-id=""{camera}"" data-status=""failing""", page);
        Assert.Contains("camera not responding (simulated fault)", page);
        Assert.Matches(@"<span class=""ago"">3 min ago</span>", page);
        Assert.Equal(health.Count(d => d.Status == DeviceHealthStatus.Silent).ToString(System.Globalization.CultureInfo.InvariantCulture),
            CountBadge().Match(page).Groups[1].Value);
        var silentOnly = await admin.GetStringAsync("Admin/DeviceHealth?status=silent&kind=acoustic-sensor");
        Assert.Contains($"data-device-id=\"{sensor}\"", silentOnly);
        Assert.DoesNotContain($"data-device-id=\"{reader}\"", silentOnly);
        Assert.DoesNotContain($"data-device-id=\"{fresh}\"", silentOnly);
        var readersByHeard = await admin.GetStringAsync("Admin/DeviceHealth?kind=plate-reader&sort=heard");
        Assert.True(readersByHeard.IndexOf(quiet.ToString(), StringComparison.Ordinal) < readersByHeard.IndexOf(reader.ToString(), StringComparison.Ordinal),
            "sorted by last heard, the quiet reader comes first");
        Assert.DoesNotContain($"data-device-id=\"{sensor}\"", readersByHeard);

        // /Admin/Health sends to the page with the same filters.
        var alias = await admin.GetAsync("Admin/Health?status=silent&kind=acoustic-sensor");
        Assert.Equal(HttpStatusCode.Redirect, alias.StatusCode);
        Assert.Equal("/Admin/DeviceHealth?status=silent&kind=acoustic-sensor", alias.Headers.Location?.OriginalString);

        // Administrators only.
        using var commander = await app.SignedInAsync(Users.Commander);
        var denied = await commander.GetAsync("Admin/DeviceHealth");
        Assert.NotEqual(HttpStatusCode.OK, denied.StatusCode);
        var deniedAlias = await commander.GetAsync("Admin/Health");
        Assert.DoesNotContain("DeviceHealth", deniedAlias.Headers.Location?.OriginalString ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reader_that_reports_a_fault_is_failing_with_it_until_it_reports_none()
    {
        var place = Api.Place();
        var (reader, key) = await app.RegisterReaderAsync(place.Lat, place.Lon, 60, 90);
        using var device = app.Client(key);
        async Task<DeviceHealthDto> HealthOfAsync() => (await app.InScopeAsync(async sp =>
            await sp.GetRequiredService<ISender>().Send(new ListDeviceHealthQuery()))).Single(d => d.Id == reader);

        var first = await (await device.PutAsJsonAsync("api/v1/plates/readers/status", new { fault = "lens obstructed" })).ReadJsonAsync();
        var since = first["faultSince"]!.GetValue<DateTimeOffset>();
        var health = await HealthOfAsync();
        Assert.Equal(DeviceHealthStatus.Failing, health.Status);
        Assert.Equal("lens obstructed", health.LastError);
        Assert.Equal("status report", health.LastHeard);

        // The same fault again keeps its start; another fault starts anew; none clears it.
        var again = await (await device.PutAsJsonAsync("api/v1/plates/readers/status", new { fault = "lens obstructed" })).ReadJsonAsync();
        Assert.Equal(since, again["faultSince"]!.GetValue<DateTimeOffset>());
        using (var admin = await app.SignedInAsync(Users.Admin))
            Assert.Contains("lens obstructed", await admin.GetStringAsync("Admin/DeviceHealth?status=failing&kind=plate-reader"), StringComparison.Ordinal);
        var cleared = await device.PutAsJsonAsync("api/v1/plates/readers/status", new { fault = (string?)null });
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        health = await HealthOfAsync();
        Assert.Equal(DeviceHealthStatus.Ok, health.Status);
        Assert.Null(health.LastError);

        // Refused: a fault of blanks or too long (nothing changes), and a device that is not a reader.
        Assert.Equal(HttpStatusCode.BadRequest, (await device.PutAsJsonAsync("api/v1/plates/readers/status", new { fault = "   " })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await device.PutAsJsonAsync("api/v1/plates/readers/status", new { fault = new string('x', 201) })).StatusCode);
        Assert.Equal(DeviceHealthStatus.Ok, (await HealthOfAsync()).Status);
        var (_, sensorKey) = await app.RegisterDeviceAsync(DeviceKinds.AcousticSensor, place.Lat, place.Lon);
        using var sensor = app.Client(sensorKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await sensor.PutAsJsonAsync("api/v1/plates/readers/status", new { fault = "x" })).StatusCode);
    }

    [GeneratedRegex(@"data-count=""silent"">(\d+)<")]
    private static partial Regex CountBadge();
}
