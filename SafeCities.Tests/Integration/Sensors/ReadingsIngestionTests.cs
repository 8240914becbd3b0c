using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SafeCities.Tests.Integration.Sensors;

/// <summary>
/// Environmental readings over HTTP and over MQTT with a real, independent client (Debian's <c>mosquitto_pub</c>): stored once per
/// device, reading id and time; acknowledged only once stored; wrong credentials, another device's topic, malformed, implausible and
/// oversized payloads refused and never stored.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ReadingsIngestionTests(AppFixture app)
{
    private static string Body(params (string Id, DateTimeOffset At, string Quantity, double Value)[] readings) =>
        JsonSerializer.Serialize(new { readings = readings.Select(r => new { readingId = r.Id, at = r.At, quantity = r.Quantity, value = r.Value }) });

    private async Task<(int Exit, string Output)> PublishAsync(string user, string password, string topic, string payload, string version = "mqttv5")
    {
        var start = new ProcessStartInfo("mosquitto_pub")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            ArgumentList = { "-h", "127.0.0.1", "-p", app.MqttPort.ToString(CultureInfo.InvariantCulture), "-V", version, "-q", "1",
                "-i", $"test-{Guid.NewGuid():N}"[..20], "-u", user, "-P", password, "-t", topic, "-s" },
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto_pub did not start (package mosquitto-clients)");
        await process.StandardInput.WriteAsync(payload);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await output + await error).Trim());
    }

    private Task<long> StoredAsync(Guid device) => app.CountAsync($"SELECT count(*) FROM sensors.readings WHERE device_id = '{device}'");

    [Fact]
    public async Task A_device_publishes_readings_over_mqtt_that_are_stored_before_the_puback_and_only_once()
    {
        var (device, key) = await app.RegisterDeviceAsync(DeviceKinds.EnvironmentalSensor);
        var now = DateTimeOffset.UtcNow.AddSeconds(-30);
        var body = Body(("r-1", now, "pm2_5", 41.2), ("r-2", now.AddSeconds(10), "pm2_5", 44.0), ("r-3", now, "no2", 38));

        var (exit, output) = await PublishAsync(device.ToString(), key, $"safecities/{device}/readings", body);
        Assert.True(exit == 0, output);
        // mosquitto_pub exits after the PUBACK of its QoS 1 message: the readings are already committed.
        Assert.Equal(3, await StoredAsync(device));
        Assert.Equal(3, await app.CountAsync($"SELECT count(*) FROM sensors.readings WHERE device_id = '{device}' AND via = 'mqtt'"));
        Assert.Equal(44, await app.CountAsync($"SELECT value::int FROM sensors.latest_readings WHERE device_id = '{device}' AND quantity = 'pm2_5'"));

        // The same message again (a device that lost the PUBACK resends it), over MQTT 3.1.1 this time: nothing stored twice.
        (exit, output) = await PublishAsync(device.ToString(), key, $"safecities/{device}/readings", body, "mqttv311");
        Assert.True(exit == 0, output);
        Assert.Equal(3, await StoredAsync(device));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM sensors.devices WHERE id = '{device}' AND last_seen_at IS NOT NULL"));
    }

    [Fact]
    public async Task Wrong_credentials_another_devices_topic_and_bad_payloads_are_refused_and_never_stored()
    {
        var (device, key) = await app.RegisterDeviceAsync(DeviceKinds.EnvironmentalSensor);
        var (other, otherKey) = await app.RegisterDeviceAsync(DeviceKinds.EnvironmentalSensor);
        var (acoustic, acousticKey) = await app.RegisterDeviceAsync(DeviceKinds.AcousticSensor);
        var topic = $"safecities/{device}/readings";
        var at = DateTimeOffset.UtcNow.AddSeconds(-5);

        var (exit, output) = await PublishAsync(device.ToString(), otherKey, topic, Body(("w-1", at, "pm10", 20)));
        Assert.NotEqual(0, exit);
        Assert.Contains("bad user name or password", output, StringComparison.OrdinalIgnoreCase);
        (exit, output) = await PublishAsync(acoustic.ToString(), acousticKey, $"safecities/{acoustic}/readings", Body(("w-2", at, "pm10", 20)));
        Assert.NotEqual(0, exit); // an acoustic sensor's key is not an environmental sensor's
        Assert.Contains("bad user name or password", output, StringComparison.OrdinalIgnoreCase);

        // Another device's topic: the connection is closed, nothing stored for either device.
        await PublishAsync(other.ToString(), otherKey, topic, Body(("t-1", at, "pm10", 20)));
        // Malformed JSON, an implausible value, a unit that is not the quantity's, a null reading, and an oversized payload: PUBACK
        // "payload format invalid" (MQTT 5), nothing stored.
        (exit, output) = await PublishAsync(device.ToString(), key, topic, "{\"readings\": [ {\"readingId\": ");
        Assert.Contains("payload format invalid", output, StringComparison.OrdinalIgnoreCase);
        (exit, output) = await PublishAsync(device.ToString(), key, topic, Body(("b-1", at, "pm10", 20), ("b-2", at, "pm2_5", 5000)));
        Assert.Contains("payload format invalid", output, StringComparison.OrdinalIgnoreCase);
        await PublishAsync(device.ToString(), key, topic, """{"readings":[{"readingId":"u-1","at":"2026-01-01T00:00:00Z","quantity":"pm10","value":20,"unit":"mg/m3"}]}""");
        await PublishAsync(device.ToString(), key, topic, """{"readings":[null]}""");
        var huge = new StringBuilder("{\"readings\":[");
        for (var i = 0; i < 4000; i++)
            huge.Append(CultureInfo.InvariantCulture, $"{{\"readingId\":\"h-{i}\",\"at\":\"{at:O}\",\"quantity\":\"pm10\",\"value\":{i % 90}}},");
        huge.Length--;
        huge.Append("]}");
        Assert.True(huge.Length > 256 * 1024);
        (exit, output) = await PublishAsync(device.ToString(), key, topic, huge.ToString());
        Assert.Contains("payload format invalid", output, StringComparison.OrdinalIgnoreCase);

        // Proof that nothing of the above was stored, positively: a good message published afterwards is stored, alone.
        (exit, output) = await PublishAsync(device.ToString(), key, topic, Body(("g-1", at, "pm10", 20)));
        Assert.True(exit == 0, output);
        Assert.Equal(1, await StoredAsync(device));
        Assert.Equal(0, await StoredAsync(other));
        Assert.Equal(0, await StoredAsync(acoustic));
    }

    [Fact]
    public async Task Http_batches_take_the_same_body_all_or_none_and_idempotent()
    {
        var (device, key) = await app.RegisterDeviceAsync(DeviceKinds.EnvironmentalSensor);
        using var client = app.Client(key);
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        var good = new StringContent(Body(("h-1", at, "wind_speed", 12.5), ("h-2", at, "wind_gust", 21), ("h-3", at, "pga", 0.02)), Encoding.UTF8, "application/json");
        var response = await client.PostAsync("api/v1/sensors/readings", good);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.ReadJsonAsync();
        Assert.Equal(3, result["stored"]!.GetValue<int>());

        var again = await (await client.PostAsync("api/v1/sensors/readings",
            new StringContent(Body(("h-1", at, "wind_speed", 12.5), ("h-4", at, "noise_laeq", 64)), Encoding.UTF8, "application/json"))).ReadJsonAsync();
        Assert.Equal(1, again["stored"]!.GetValue<int>());
        Assert.Equal(1, again["duplicates"]!.GetValue<int>());

        var bad = await client.PostAsync("api/v1/sensors/readings", new StringContent(
            Body(("x-1", at, "water_level", 2), ("x-2", at, "pipe_pressure", -3), ("x-3", DateTimeOffset.UtcNow.AddHours(2), "flow", 10)), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.ReadJsonAsync())["errors"]!.AsObject();
        Assert.Contains(errors, e => e.Key.Contains("[1]", StringComparison.Ordinal) && e.Value!.ToJsonString().Contains("not a plausible pipe pressure", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Key.Contains("[2]", StringComparison.Ordinal) && e.Value!.ToJsonString().Contains("in the future", StringComparison.Ordinal));
        Assert.Equal(4, await StoredAsync(device));

        // Only environmental sensors report readings.
        var (_, acousticKey) = await app.RegisterDeviceAsync(DeviceKinds.AcousticSensor);
        using var acoustic = app.Client(acousticKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await acoustic.PostAsync("api/v1/sensors/readings",
            new StringContent(Body(("a-1", at, "pm10", 3)), Encoding.UTF8, "application/json"))).StatusCode);
    }
}
