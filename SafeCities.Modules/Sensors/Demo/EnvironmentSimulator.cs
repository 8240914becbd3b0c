using System.Text.Json;
using Microsoft.Extensions.Configuration;
using MQTTnet;
using MQTTnet.Protocol;
using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Modules.Sensors.Environment;
using SafeCities.Modules.Shared.Demo;
using SafeCities.Modules.Shared.Devices;

namespace SafeCities.Modules.Sensors.Demo;

/// <summary>
/// Demo city only (<c>Demo:Simulator:Enabled</c>): every minute each demo environmental sensor reports. Air quality follows a daily cycle
/// (traffic peaks) and the Congress Heights station has a 45-minute smoke episode every three hours (PM2.5 about 80 µg/m³, AQI over 150, so
/// the demo's AQI rule opens an incident after its 30 minutes); the water main loses pressure for four minutes every hour (a burst, then the
/// valve closes); seismic noise and wind at two heights. The air-quality and water sensors publish over MQTT as the devices themselves
/// (QoS 1, to the app's own MQTT endpoint, <c>Mqtt:Port</c>); the others through the HTTP endpoint's command.
/// </summary>
internal sealed class EnvironmentSimulator(IServiceScopeFactory scopes, TimeProvider clock, IConfiguration config, ILogger<EnvironmentSimulator> logger)
    : DemoSimulator(scopes, clock, logger), IAsyncDisposable
{
    private readonly Random random = new();
    private readonly Dictionary<Guid, IMqttClient> clients = [];
    private readonly int mqttPort = config.GetValue($"{MqttOptions.Section}:{nameof(MqttOptions.Port)}", 0);
    private readonly string? baseKey = config[DemoEnvironment.KeySetting];

    protected override TimeSpan FirstDelay => TimeSpan.FromSeconds(5);

    protected override TimeSpan Interval => TimeSpan.FromMinutes(1);

    /// <summary>
    /// A week of history for sensors that have none (every 10 minutes, the daily cycles without episodes or bursts: a backfill must not
    /// open incidents for the past), so the charts have something to show from the first minute of the demo.
    /// </summary>
    protected override async Task PrepareAsync(ISender sender, CancellationToken ct)
    {
        var now = Clock.GetUtcNow();
        var latest = (await sender.Send(new ListEnvironmentalSensorsQuery(), ct)).ToDictionary(s => s.Id);
        foreach (var device in await sender.Send(new ListSensorDevicesQuery(SensorDeviceKinds.EnvironmentalSensor), ct))
        {
            if (!DemoEnvironment.Sensors.Any(s => s.Name == device.Name) || latest.GetValueOrDefault(device.Id)?.Values.Count > 0)
                continue;
            var history = new List<SensorReadingInput>();
            for (var at = now.AddDays(-7); at < now.AddMinutes(-5); at = at.AddMinutes(10))
                history.AddRange(Readings(device.Name, at, calm: true).Select(r => Input(r.Quantity, r.Value, at, "hist")));
            foreach (var batch in history.Chunk(IngestSensorReadingsCommandValidator.MaxReadingsPerBatch))
                await sender.Send(new IngestSensorReadingsCommand(device.Id, batch, "demo"), ct);
            Logger.LogInformation("Demo sensor {Name}: {Count} readings of history", device.Name, history.Count);
        }
    }

    private static SensorReadingInput Input(string quantity, double value, DateTimeOffset at, string prefix) =>
        new($"sim-{prefix}-{at.ToUnixTimeSeconds()}-{quantity}", at, quantity, Math.Round(value, quantity is "o3" or "co" or "pga" or "wind_shear" ? 4 : 1), null);

    protected override async Task TickAsync(ISender sender, CancellationToken ct)
    {
        var now = Clock.GetUtcNow();
        var devices = await sender.Send(new ListSensorDevicesQuery(SensorDeviceKinds.EnvironmentalSensor), ct);
        foreach (var (name, _, _, _, mqtt) in DemoEnvironment.Sensors)
        {
            if (devices.FirstOrDefault(d => d.Name == name) is not { } device)
                continue;
            var readings = Readings(name, now, calm: false).Select(r => Input(r.Quantity, r.Value, now, "live")).ToList();
            if (mqtt && mqttPort > 0 && baseKey is { Length: > 0 })
                await PublishAsync(device, readings, ct);
            else
                await sender.Send(new IngestSensorReadingsCommand(device.Id, readings, "demo"), ct);
        }
    }

    /// <summary>What a sensor reads at <paramref name="now"/> (the city's hour of day taken as UTC−5, Washington's standard time).</summary>
    private IEnumerable<(string Quantity, double Value)> Readings(string name, DateTimeOffset now, bool calm)
    {
        var hour = (now.UtcDateTime.TimeOfDay.TotalHours + 19) % 24;
        double Noise(double spread) => (random.NextDouble() - 0.5) * 2 * spread;
        // Two traffic peaks (08:00 and 18:00) and a quiet night.
        var traffic = 0.5 * (Math.Exp(-Math.Pow(hour - 8, 2) / 4) + Math.Exp(-Math.Pow(hour - 18, 2) / 5));
        if (name.StartsWith("Air quality", StringComparison.Ordinal))
        {
            var episode = !calm && name.EndsWith("Congress Heights", StringComparison.Ordinal) && now.UtcDateTime.Hour % 3 == 0 && now.UtcDateTime.Minute < 45;
            var pm25 = episode ? 78 + Noise(6) : 5 + 14 * traffic + Noise(1.5);
            yield return ("pm2_5", Math.Max(0.5, pm25));
            yield return ("pm10", Math.Max(1, pm25 * 1.7 + Noise(3)));
            yield return ("o3", Math.Max(0.005, 0.018 + 0.032 * Math.Max(0, Math.Sin(Math.PI * (hour - 8) / 12)) + Noise(0.003)));
            yield return ("no2", Math.Max(1, 9 + 30 * traffic + Noise(3)));
            yield return ("noise_laeq", 52 + 14 * traffic + Noise(3));
        }
        else if (name.StartsWith("Seismic", StringComparison.Ordinal))
            yield return ("pga", 0.0015 + Math.Abs(Noise(0.0012)));
        else if (name.StartsWith("Wind", StringComparison.Ordinal))
        {
            var speed = (4 + 3 * Math.Sin(Math.PI * (hour - 6) / 12) + Noise(0.8)) * (name.StartsWith("Wind 40", StringComparison.Ordinal) ? 1.45 : 1);
            speed = Math.Max(0.2, speed);
            yield return ("wind_speed", speed);
            yield return ("wind_gust", speed * (1.4 + random.NextDouble() * 0.3));
            yield return ("wind_direction", (215 + Noise(25) + 360) % 360);
            // The 40 m mast also reports the shear against the 10 m anemometer of the same site (speed difference over 30 m of height).
            if (name.StartsWith("Wind 40", StringComparison.Ordinal))
                yield return ("wind_shear", speed * (1 - 1 / 1.45) / 30);
        }
        else
        {
            var minute = now.UtcDateTime.Minute;
            var burst = !calm && minute is >= 30 and < 34;
            yield return ("pipe_pressure", burst ? 135 + Noise(15) : 418 + Noise(8));
            yield return ("flow", burst ? 95 + Noise(10) : 38 + 10 * traffic + Noise(2));
            yield return ("leak", burst ? 1 : 0);
        }
    }

    /// <summary>Publishes the body a real sensor would to <c>safecities/{deviceId}/readings</c>, as the device (its id and key), QoS 1.</summary>
    private async Task PublishAsync(DeviceDto device, IReadOnlyList<SensorReadingInput> readings, CancellationToken ct)
    {
        if (!clients.TryGetValue(device.Id, out var client) || !client.IsConnected)
        {
            client?.Dispose();
            client = new MqttClientFactory().CreateMqttClient();
            var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", mqttPort).WithClientId($"demo-{device.Id:N}")
                .WithCredentials(device.Id.ToString(), DemoEnvironment.KeyOf(baseKey!, device.Name)).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
                .Build();
            await client.ConnectAsync(options, ct);
            clients[device.Id] = client;
        }
        var payload = JsonSerializer.SerializeToUtf8Bytes(new { readings }, JsonSerializerOptions.Web);
        var result = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"safecities/{device.Id}/readings").WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct);
        if (!result.IsSuccess)
            Logger.LogWarning("Demo sensor {Name}: MQTT publish refused ({Reason})", device.Name, result.ReasonString ?? result.ReasonCode.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in clients.Values)
        {
            if (client.IsConnected)
                await client.DisconnectAsync();
            client.Dispose();
        }
        clients.Clear();
    }
}
