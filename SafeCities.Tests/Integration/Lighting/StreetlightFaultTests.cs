using System.Text;

namespace SafeCities.Tests.Integration.Lighting;

[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class StreetlightFaultTests(AppFixture app)
{
    private static object Faults(params (string Kind, string State, DateTimeOffset At)[] faults) =>
        new { faults = faults.Select(f => new { kind = f.Kind, state = f.State, at = f.At }) };

    private string OpenOrders(Guid light) => $"SELECT count(*) FROM lighting.work_orders WHERE light_id = '{light}' AND closed_at IS NULL";

    [Fact]
    public async Task Active_opens_one_work_order_a_repeat_opens_none_and_cleared_closes_it_with_who_and_when()
    {
        var (lat, lon) = Api.Place();
        var (light, key) = await app.RegisterDeviceAsync(DeviceKinds.Streetlight, lat, lon, new { controllerId = "SEG-F", normalLevel = 40 });
        using var device = app.Client(key);
        var now = DateTimeOffset.UtcNow;
        var t0 = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero).AddMinutes(-10);

        var first = await device.PostAsJsonAsync("api/v1/lighting/faults", Faults(("lamp-failure", "active", t0)));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var body = await first.ReadJsonAsync();
        Assert.Equal(("faulty", 1, 0), (body["state"]!.GetValue<string>(), body["opened"]!.GetValue<int>(), body["closed"]!.GetValue<int>()));
        var again = await (await device.PostAsJsonAsync("api/v1/lighting/faults", Faults(("lamp-failure", "active", t0.AddMinutes(1))))).ReadJsonAsync();
        Assert.Equal((0, 1), (again["opened"]!.GetValue<int>(), again["unchanged"]!.GetValue<int>()));
        Assert.Equal(1, await app.CountAsync(OpenOrders(light)));
        Assert.Equal("faulty", await app.StateAsync(light));

        using var officer = app.Client(await app.CreateClientKeyAsync(Roles.Officer));
        var orders = (await (await officer.GetAsync("api/v1/lighting/work-orders")).ReadJsonAsync()).AsArray();
        var order = Assert.Single(orders, o => o!["lightId"]!.GetValue<Guid>() == light)!;
        Assert.Equal("lamp-failure", order["faultKind"]!.GetValue<string>());

        var cleared = await (await device.PostAsJsonAsync("api/v1/lighting/faults", Faults(("lamp-failure", "cleared", t0.AddMinutes(5))))).ReadJsonAsync();
        Assert.Equal(("normal", 1), (cleared["state"]!.GetValue<string>(), cleared["closed"]!.GetValue<int>()));
        Assert.Equal(0, await app.CountAsync(OpenOrders(light)));
        Assert.Equal(1, await app.CountAsync(
            $"SELECT count(*) FROM lighting.work_orders WHERE light_id = '{light}' AND closed_by LIKE 'device:%' AND closed_at > now() - interval '1 minute' AND cleared_at = '{t0.AddMinutes(5):O}'"));
        Assert.Equal("normal", await app.StateAsync(light));

        // A late copy of the fault that has since cleared changes nothing; a new fault afterwards opens a new order.
        var late = await (await device.PostAsJsonAsync("api/v1/lighting/faults", Faults(("lamp-failure", "active", t0.AddMinutes(2)), ("lamp-failure", "cleared", t0.AddMinutes(5))))).ReadJsonAsync();
        Assert.Equal((0, 0, 2), (late["opened"]!.GetValue<int>(), late["closed"]!.GetValue<int>(), late["unchanged"]!.GetValue<int>()));
        var anew = await (await device.PostAsJsonAsync("api/v1/lighting/faults", Faults(("lamp-failure", "active", t0.AddMinutes(8))))).ReadJsonAsync();
        Assert.Equal(1, anew["opened"]!.GetValue<int>());
        Assert.Equal(2, await app.CountAsync($"SELECT count(*) FROM lighting.work_orders WHERE light_id = '{light}'"));
    }

    [Fact]
    public async Task The_light_stays_faulty_until_every_fault_has_cleared_and_concurrent_repeats_open_one_order()
    {
        var (lat, lon) = Api.Place();
        var (light, key) = await app.RegisterDeviceAsync(DeviceKinds.Streetlight, lat, lon);
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-3);
        var burst = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ =>
        {
            using var device = app.Client(key);
            return (await device.PostAsJsonAsync("api/v1/lighting/faults", Faults(("supply-loss", "active", t0), ("communication-failure", "active", t0)))).StatusCode;
        }));
        Assert.All(burst, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(2, await app.CountAsync(OpenOrders(light)));

        using var client = app.Client(key);
        var one = await (await client.PostAsJsonAsync("api/v1/lighting/faults", Faults(("supply-loss", "cleared", t0.AddMinutes(1))))).ReadJsonAsync();
        Assert.Equal("faulty", one["state"]!.GetValue<string>());
        Assert.Equal("communication-failure", Assert.Single(one["openWorkOrders"]!.AsArray())!["faultKind"]!.GetValue<string>());
        var both = await (await client.PostAsJsonAsync("api/v1/lighting/faults", Faults(("communication-failure", "cleared", t0.AddMinutes(2))))).ReadJsonAsync();
        Assert.Equal("normal", both["state"]!.GetValue<string>());
        Assert.Empty(both["openWorkOrders"]!.AsArray());
    }

    [Fact]
    public async Task The_outages_page_lists_open_work_orders_for_command_staff()
    {
        var (lat, lon) = Api.Place();
        var (light, key) = await app.RegisterDeviceAsync(DeviceKinds.Streetlight, lat, lon);
        using (var device = app.Client(key))
            await device.PostAsJsonAsync("api/v1/lighting/faults", Faults(("relay-failure", "active", DateTimeOffset.UtcNow.AddMinutes(-1))));

        using var officer = await app.SignedInAsync(Users.Officer);
        var html = await officer.GetStringAsync("Lighting/Outages");
        Assert.Contains($"data-light-id=\"{light}\"", html);
        Assert.Contains("relay-failure", html);
        Assert.Contains("id=\"outage-points\"", html);
    }

    [Fact]
    public async Task Only_a_streetlight_key_may_report_and_bad_reports_get_400_naming_the_field()
    {
        var (_, cameraKey) = await app.RegisterDeviceAsync(DeviceKinds.Camera);
        var officerKey = await app.CreateClientKeyAsync(Roles.Officer);
        var before = await app.CountAsync("SELECT count(*) FROM lighting.work_orders");
        var report = Faults(("lamp-failure", "active", DateTimeOffset.UtcNow));
        foreach (var (key, status) in new (string?, HttpStatusCode)[]
                 { (null, HttpStatusCode.Unauthorized), (cameraKey, HttpStatusCode.Forbidden), (officerKey, HttpStatusCode.Forbidden), (app.AdminKey, HttpStatusCode.Forbidden) })
        {
            using var client = app.Client(key);
            var response = await client.PostAsJsonAsync("api/v1/lighting/faults", report);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        var (_, lightKey) = await app.RegisterDeviceAsync(DeviceKinds.Streetlight, Api.Place().Lat, Api.Place().Lon);
        using var light = app.Client(lightKey);
        var bad = await light.PostAsync("api/v1/lighting/faults", new StringContent(
            $"{{\"faults\":[{{\"kind\":\"broken\",\"state\":\"on\",\"at\":\"{DateTimeOffset.UtcNow.AddHours(1):O}\"}}]}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["faults[0].at", "faults[0].kind", "faults[0].state"], (await bad.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key).Order().ToArray());
        var empty = await light.PostAsJsonAsync("api/v1/lighting/faults", new { faults = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        var malformed = await light.PostAsync("api/v1/lighting/faults", new StringContent("{\"faults\":[{\"kind\":\"lamp-failure\"}]}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(before, await app.CountAsync("SELECT count(*) FROM lighting.work_orders"));
    }
}
