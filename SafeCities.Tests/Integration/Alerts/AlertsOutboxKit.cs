using System.Text.Json;
using SafeCities.Modules.Shared.Outbox;

namespace SafeCities.Tests.Integration.Alerts;

internal static class AlertsOutboxKit
{
    /// <summary>The one event of type <typeparamref name="T"/> about an incident that Alerts wrote to its outbox and delivered, as it was written
    /// (to publish again: a delivery after a crash, or the sweep meeting the live dispatch).</summary>
    public static async Task<T> DeliveredOutboxEventAsync<T>(this AppFixture app, Guid incidentId) where T : IOutboxMessage
    {
        var payload = await app.ScalarAsync<string?>($"""
            SELECT payload::text FROM alerts.outbox_messages
            WHERE type = '{typeof(T).FullName}' AND payload->>'incidentId' = '{incidentId}' AND dispatched_at IS NOT NULL
            """) ?? throw new InvalidOperationException($"no delivered {typeof(T).Name} about incident {incidentId}");
        return JsonSerializer.Deserialize<T>(payload, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }
}
