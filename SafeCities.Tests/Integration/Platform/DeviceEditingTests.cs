using SafeCities.Tests.Integration.Plates;

namespace SafeCities.Tests.Integration.Platform;

/// <summary>Administrators rename and move devices of every module and replace or revoke their keys; each change is audited.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DeviceEditingTests(AppFixture app)
{
    [Theory]
    [InlineData(DeviceKinds.AcousticSensor, "sensors.devices")]
    [InlineData(DeviceKinds.Streetlight, "lighting.streetlights")]
    [InlineData(DeviceKinds.Camera, "video.cameras")]
    [InlineData(DeviceKinds.PlateReader, "plates.readers")]
    public async Task A_device_of_any_module_is_renamed_and_moved_with_its_point_and_the_change_is_audited(string kind, string table)
    {
        var (id, _) = await app.RegisterDeviceAsync(kind, 38.90, -77.01);
        using var admin = app.AdminClient();
        var name = "Moved " + Guid.NewGuid().ToString("N")[..8];

        var response = await admin.PutAsJsonAsync($"api/v1/devices/{id}", new { name, latitude = 38.91, longitude = -77.02, elevationMeters = 12.5 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await app.CountAsync($"""
            SELECT count(*) FROM {table} WHERE id = '{id}' AND name = '{name}' AND latitude = 38.91 AND longitude = -77.02 AND elevation_meters = 12.5
              AND ST_DWithin(location::geography, ST_SetSRID(ST_MakePoint(-77.02, 38.91), 4326)::geography, 1)
            """));
        var listed = (await (await admin.GetAsync($"api/v1/devices?kind={kind}")).ReadJsonAsync()).AsArray().Single(d => d!["id"]!.GetValue<Guid>() == id)!;
        Assert.Equal(name, listed["name"]!.GetValue<string>());
        Assert.Equal(1, await app.CountAsync($"""
            SELECT count(*) FROM audit.entries WHERE module = 'Platform' AND action = 'device-edit' AND details->>'device' = '{id}'
              AND details->'before'->>'latitude' = '38.9' AND details->'after'->>'name' = '{name}'
            """));
    }

    [Theory]
    [InlineData("{\"name\":\"\",\"latitude\":1,\"longitude\":1}", "Name")]
    [InlineData("{\"name\":\"x\",\"latitude\":91,\"longitude\":1}", "Latitude")]
    [InlineData("{\"name\":\"x\",\"latitude\":1,\"longitude\":1,\"elevationMeters\":99999}", "ElevationMeters")]
    public async Task An_invalid_edit_gets_400_naming_the_field_and_changes_nothing(string body, string field)
    {
        var (id, _) = await app.RegisterDeviceAsync(DeviceKinds.Camera, 38.90, -77.01);
        using var admin = app.AdminClient();

        var response = await admin.PutAsync($"api/v1/devices/{id}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains((await response.ReadJsonAsync())["errors"]!.AsObject(), e => e.Key.Equals(field, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM video.cameras WHERE id = '{id}' AND latitude = 38.90"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutAsJsonAsync($"api/v1/devices/{Guid.NewGuid()}", new { name = "x", latitude = 1, longitude = 1 })).StatusCode);
    }

    [Fact]
    public async Task A_replaced_key_stops_working_at_once_the_new_one_works_and_a_revoked_device_cannot_report()
    {
        var (lat, lon) = Api.Place();
        var (id, oldKey) = await app.RegisterReaderAsync(lat, lon);
        await app.SendReadsAsync(oldKey, PlatesKit.Read("k1", HotlistKit.Plate(), DateTimeOffset.UtcNow.AddSeconds(-5)));
        using var admin = app.AdminClient();

        var replaced = await (await admin.PostAsync($"api/v1/devices/{id}/key", null)).ReadJsonAsync();
        var newKey = replaced["apiKey"]!.GetValue<string>();
        Assert.Equal(1, replaced["revoked"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.PostReadsAsync(oldKey, PlatesKit.Read("k2", HotlistKit.Plate(), DateTimeOffset.UtcNow))).StatusCode);
        await app.SendReadsAsync(newKey, PlatesKit.Read("k3", HotlistKit.Plate(), DateTimeOffset.UtcNow));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"api/v1/devices/{id}/key")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.PostReadsAsync(newKey, PlatesKit.Read("k4", HotlistKit.Plate(), DateTimeOffset.UtcNow))).StatusCode);
        Assert.Equal(2, await app.ReadsOfAsync(id));
        Assert.Equal(2, await app.CountAsync($"""
            SELECT count(*) FROM audit.entries WHERE module = 'Platform' AND action IN ('device-key-replace', 'device-key-revoke') AND details->>'device' = '{id}'
            """));

        // Officers cannot touch devices.
        using var officer = app.Client(await app.CreateClientKeyAsync(Roles.Officer));
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.PostAsync($"api/v1/devices/{id}/key", null)).StatusCode);
    }
}
