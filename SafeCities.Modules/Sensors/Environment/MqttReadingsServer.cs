using System.Buffers;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Hosting;
using MQTTnet.Protocol;
using MQTTnet.Server;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Modules.Shared.Input;

namespace SafeCities.Modules.Sensors.Environment;

/// <summary>Configuration section <c>Mqtt</c>: the MQTT endpoint environmental sensors publish their readings to.</summary>
internal sealed class MqttOptions
{
    public const string Section = "Mqtt";
    /// <summary>Off (0) unless configured; <c>scripts/run</c> sets 1883.</summary>
    public int Port { get; set; }
    /// <summary>The address the endpoint listens on (a city network puts its sensor VLAN's address here).</summary>
    public string BindAddress { get; set; } = "127.0.0.1";
    /// <summary>A larger publish is refused unread (a batch of 1,000 readings is about 100 KB).</summary>
    public int MaxPayloadBytes { get; set; } = 256 * 1024;
}

/// <summary>
/// The platform's own MQTT endpoint (MQTTnet's server in this process, ADR 0026): an environmental sensor connects with its device id as
/// user name and its device key as password and publishes the same JSON as <c>POST /api/v1/sensors/readings</c> to
/// <c>safecities/{deviceId}/readings</c>. A QoS 1 publish is acknowledged only after its readings are committed: the PUBACK is sent when
/// this handler returns, and a storage failure closes the connection without one, so the device sends it again. Nothing is routed to
/// subscribers (the platform is the only reader; subscribing is refused). Refusals are logged and never stored: wrong credentials (CONNACK
/// "bad user name or password"), another device's topic (connection closed, as brokers such as AWS IoT do for MQTT 3.1.1 clients that
/// cannot read a reason code), an oversized, malformed or invalid payload (PUBACK "payload format invalid" with the reason for MQTT 5).
/// </summary>
internal sealed class MqttReadingsServer(IServiceScopeFactory scopes, IOptions<MqttOptions> options, IOptions<JsonOptions> json,
    ILogger<MqttReadingsServer> logger) : IHostedService, IAsyncDisposable
{
    private const string DeviceItem = "safecities:device";
    private MqttServer? server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (o.Port == 0)
            return;
        var factory = new MqttServerFactory();
        var serverOptions = factory.CreateServerOptionsBuilder().WithDefaultEndpoint().WithDefaultEndpointPort(o.Port)
            .WithDefaultEndpointBoundIPAddress(IPAddress.Parse(o.BindAddress)).WithDefaultEndpointBoundIPV6Address(IPAddress.None).Build();
        server = factory.CreateMqttServer(serverOptions);
        server.ValidatingConnectionAsync += ValidateAsync;
        server.InterceptingPublishAsync += PublishAsync;
        server.InterceptingSubscriptionAsync += e =>
        {
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            return Task.CompletedTask;
        };
        await server.StartAsync();
        logger.LogInformation("MQTT endpoint for sensor readings listening on {Address}:{Port}", o.BindAddress, o.Port);
    }

    private async Task ValidateAsync(ValidatingConnectionEventArgs e)
    {
        string? kind = null;
        if (Guid.TryParse(e.UserName, out var deviceId) && !string.IsNullOrEmpty(e.Password))
        {
            await using var scope = scopes.CreateAsyncScope();
            kind = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new AuthenticateDeviceQuery(deviceId, e.Password));
        }
        if (kind != SensorDeviceKinds.EnvironmentalSensor)
        {
            logger.LogWarning("MQTT connection refused: user name {UserName} is not an environmental sensor with that key (client {ClientId}, {Endpoint})",
                Printable(e.UserName), Printable(e.ClientId), e.RemoteEndPoint);
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            return;
        }
        e.SessionItems[DeviceItem] = deviceId;
    }

    private async Task PublishAsync(InterceptingPublishEventArgs e)
    {
        e.ProcessPublish = false; // stored here, never routed
        var device = e.SessionItems[DeviceItem] as Guid?;
        var topic = e.ApplicationMessage.Topic;
        if (device is null || topic != $"safecities/{device}/readings")
        {
            logger.LogWarning("MQTT publish refused: device {Device} may publish only to safecities/{Device}/readings, not {Topic}; connection closed",
                device, device, Printable(topic));
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            e.CloseConnection = true;
            return;
        }
        var payload = e.ApplicationMessage.Payload;
        if (payload.Length > options.Value.MaxPayloadBytes)
        {
            Refuse(e, device.Value, $"the payload is {payload.Length:N0} bytes; at most {options.Value.MaxPayloadBytes:N0} are read");
            return;
        }
        SensorReadingsBody? body;
        try
        {
            var reader = new Utf8JsonReader(payload);
            body = JsonSerializer.Deserialize<SensorReadingsBody>(ref reader, json.Value.SerializerOptions);
        }
        catch (Exception ex) when (ex is JsonException or InputRefusedException or NotSupportedException or ArgumentException)
        {
            Refuse(e, device.Value, $"the payload is not the readings JSON ({ex.Message})");
            return;
        }
        if (body?.Readings is null)
        {
            Refuse(e, device.Value, "the payload has no \"readings\" array");
            return;
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var stored = await scope.ServiceProvider.GetRequiredService<ISender>()
                .Send(new IngestSensorReadingsCommand(device.Value, body.Readings, "mqtt"), e.CancellationToken);
            logger.LogDebug("MQTT readings of {Device}: {Stored} stored, {Duplicates} already stored", device, stored.Stored, stored.Duplicates);
        }
        catch (ValidationException ex)
        {
            Refuse(e, device.Value, string.Join(" ", ex.Errors.Select(x => $"{x.PropertyName}: {x.ErrorMessage}")));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not stored, so not acknowledged: the device keeps the message and sends it again on its next connection.
            logger.LogError(ex, "MQTT readings of {Device} could not be stored; connection closed without PUBACK", device);
            e.CloseConnection = true;
            e.Response.ReasonCode = MqttPubAckReasonCode.UnspecifiedError;
        }
    }

    private void Refuse(InterceptingPublishEventArgs e, Guid device, string why)
    {
        logger.LogWarning("MQTT readings of {Device} refused, nothing stored: {Reason}", device, why);
        e.Response.ReasonCode = MqttPubAckReasonCode.PayloadFormatInvalid;
        e.Response.ReasonString = why.Length > 200 ? why[..200] : why;
    }

    private static string Printable(string? s) => s is null ? "(none)" : new string(s.Take(100).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    /// <summary>
    /// Stops and disposes the endpoint once, whoever asks first (the host's stop or the container's disposal). A test host's shutdown once
    /// failed inside MQTTnet with "Collection was modified" while its listeners were being disposed — the listener list is not safe against
    /// two stops at once — so no second stop or dispose ever reaches the server.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref server, null) is { } running)
        {
            await running.StopAsync();
            running.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);
}
