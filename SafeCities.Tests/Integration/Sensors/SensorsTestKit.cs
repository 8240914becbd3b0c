using System.Text;
using System.Text.Json;

namespace SafeCities.Tests.Integration.Sensors;

internal static class SensorsTestKit
{
    /// <summary>The body of <c>POST /api/v1/sensors/readings</c> (and of an MQTT publish) for these readings.</summary>
    public static StringContent Readings(params (string Id, DateTimeOffset At, string Quantity, double Value)[] readings) =>
        new(JsonSerializer.Serialize(new { readings = readings.Select(r => new { readingId = r.Id, at = r.At, quantity = r.Quantity, value = r.Value }) }),
            Encoding.UTF8, "application/json");
}
