using System.Text.Json;

namespace SafeCities.Tests.Infrastructure;

/// <summary>Small helpers that speak the public HTTP API the way a device or an integration would.</summary>
public static class Api
{
    public static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public static async Task<(Guid Id, string ApiKey)> RegisterDeviceAsync(this AppFixture app, string kind, double lat = 38.8530, double lon = -76.9930,
        object? settings = null)
    {
        using var admin = app.AdminClient();
        return await admin.RegisterDeviceAsync(kind, lat, lon, settings);
    }

    /// <summary>Registers a device through <c>POST /api/v1/devices</c> with an administrator's client (any app, any node).</summary>
    public static async Task<(Guid Id, string ApiKey)> RegisterDeviceAsync(this HttpClient admin, string kind, double lat = 38.8530, double lon = -76.9930,
        object? settings = null)
    {
        var response = await admin.PostAsJsonAsync("api/v1/devices",
            new { kind, name = $"{kind} {Guid.NewGuid():N}"[..30], latitude = lat, longitude = lon, settings });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"device registration failed: {(int)response.StatusCode} {body}");
        var json = JsonNode.Parse(body)!;
        return (json["id"]!.GetValue<Guid>(), json["apiKey"]!.GetValue<string>());
    }

    /// <summary>A random spot in the continental U.S., far from every other test's incidents (so nothing joins by accident).</summary>
    public static (double Lat, double Lon) Place() => (Random.Shared.NextDouble() * 12 + 30, Random.Shared.NextDouble() * 40 - 120);

    public static object Gunshot(string? externalId = null, double lat = 38.8530, double lon = -76.9930, int rounds = 3, DateTimeOffset? at = null) =>
        new { externalId = externalId ?? Guid.NewGuid().ToString("N"), occurredAt = at ?? DateTimeOffset.UtcNow, latitude = lat, longitude = lon, rounds, source = "test-feed" };

    public static async Task<JsonNode> ReadJsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty body");
}
