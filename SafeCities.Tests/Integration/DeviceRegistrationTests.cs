namespace SafeCities.Tests.Integration;

[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DeviceRegistrationTests(AppFixture app)
{
    [Theory]
    [InlineData(DeviceKinds.AcousticSensor, "sensors.devices")]
    [InlineData(DeviceKinds.GunshotFeed, "sensors.devices")]
    [InlineData(DeviceKinds.EnvironmentalSensor, "sensors.devices")]
    [InlineData(DeviceKinds.Streetlight, "lighting.streetlights")]
    [InlineData(DeviceKinds.Camera, "video.cameras")]
    [InlineData(DeviceKinds.PlateReader, "plates.readers")]
    public async Task Every_kind_is_kept_by_its_module_and_gets_its_own_hashed_key(string kind, string table)
    {
        var (id, key) = await app.RegisterDeviceAsync(kind, 38.9, -77.01);

        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM {table} WHERE id = '{id}'"));
        Assert.StartsWith("sck_", key);
        // Only the hash is stored: the key itself appears nowhere in the credential table.
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM platform.api_keys WHERE encode(hash, 'escape') LIKE '%{key[4..]}%' OR hint = '{key}'"));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM platform.api_keys WHERE device_id = '{id}' AND device_kind = '{kind}'"));

        using var admin = app.AdminClient();
        var listed = (await (await admin.GetAsync($"api/v1/devices?kind={kind}")).ReadJsonAsync()).AsArray();
        Assert.Contains(listed, d => d!["id"]!.GetValue<Guid>() == id && d["kind"]!.GetValue<string>() == kind);
        Assert.All(listed, d => Assert.Equal(kind, d!["kind"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Module_settings_are_kept_by_the_owning_module()
    {
        // Away from the place most tests fire their gunshots: a recorder camera there would be bookmarked by every one of them.
        var (lat, lon) = Api.Place();
        var (id, _) = await app.RegisterDeviceAsync(DeviceKinds.Camera, lat, lon, new
        {
            type = "ptz", rangeMeters = 300, streamUrl = "rtsp://vms.example/cam7", recordingSystemId = "vms-2",
        });
        using var admin = app.AdminClient();
        var camera = (await (await admin.GetAsync("api/v1/devices?kind=camera")).ReadJsonAsync()).AsArray().Single(d => d!["id"]!.GetValue<Guid>() == id)!;
        Assert.Equal("ptz", camera["settings"]!["type"]!.GetValue<string>());
        Assert.Equal(300, camera["settings"]!["rangeMeters"]!.GetValue<double>());
        Assert.Equal("rtsp://vms.example/cam7", camera["settings"]!["streamUrl"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"kind\":\"toaster\",\"name\":\"x\",\"latitude\":1,\"longitude\":1}", "kind")]
    [InlineData("{\"kind\":\"camera\",\"name\":\"\",\"latitude\":1,\"longitude\":1}", "name")]
    [InlineData("{\"kind\":\"streetlight\",\"name\":\"x\",\"latitude\":100,\"longitude\":1}", "latitude")]
    [InlineData("{\"kind\":\"streetlight\",\"name\":\"x\",\"latitude\":1,\"longitude\":1,\"settings\":{\"normalLevel\":140}}", "settings.normalLevel")]
    [InlineData("{\"kind\":\"camera\",\"name\":\"x\",\"latitude\":1,\"longitude\":1,\"settings\":{\"rangeMeters\":\"far\"}}", "settings")]
    [InlineData("{\"kind\":\"camera\",\"name\":\"x\",\"latitude\":1,\"longitude\":1,\"settings\":[1,2]}", "settings")]
    public async Task Invalid_registrations_get_400_naming_the_field_and_write_nothing(string body, string field)
    {
        var before = await app.CountAsync("SELECT count(*) FROM platform.api_keys");
        using var admin = app.AdminClient();
        var response = await admin.PostAsync("api/v1/devices", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, (await response.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(before, await app.CountAsync("SELECT count(*) FROM platform.api_keys"));
    }

    [Fact]
    public async Task Only_administrators_register_or_list_devices()
    {
        var commanderKey = await app.CreateClientKeyAsync(Roles.Commander);
        using var commander = app.Client(commanderKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await commander.GetAsync("api/v1/devices")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await commander.PostAsJsonAsync("api/v1/devices", new { kind = "camera", name = "x", latitude = 1, longitude = 1 })).StatusCode);
        using var anonymous = app.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/v1/devices")).StatusCode);
        using var admin = app.AdminClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("api/v1/devices?kind=toaster")).StatusCode);
    }
}
