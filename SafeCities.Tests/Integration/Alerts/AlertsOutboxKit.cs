using System.Text.Json;
using Mediator;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Lighting.Contracts;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Video.Contracts;
using SafeCities.Tests.Infrastructure;
using SafeCities.Tests.Integration.Lighting;
using SafeCities.Modules.Shared.Outbox;

namespace SafeCities.Tests.Integration.Alerts;

internal static class AlertsOutboxKit
{
    /// <summary>The one event of type <typeparamref name="T"/> about an incident that Alerts wrote to its outbox and delivered, as it was written
    /// (to publish again: a delivery after a crash, or the sweep meeting the live dispatch).</summary>
    public static async Task<T> DeliveredOutboxEventAsync<T>(this AppFixture app, Guid incidentId) where T : IOutboxMessage
    {
        var payload = await app.ScalarAsync<string?>($"SELECT payload::text {Delivered<T>(incidentId)}")
                      ?? throw new InvalidOperationException($"no delivered {typeof(T).Name} about incident {incidentId}");
        return JsonSerializer.Deserialize<T>(payload, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    /// <summary>Until Alerts' outbox marks its one <typeparamref name="T"/> about the incident delivered: every module's handler has run.</summary>
    public static Task DeliveredAsync<T>(this AppFixture app, Guid incidentId) where T : IOutboxMessage => Poll.UntilAsync(
        async () => await app.CountAsync($"SELECT count(*) {Delivered<T>(incidentId)}") == 1, TimeSpan.FromSeconds(10), $"the {typeof(T).Name} delivered");

    /// <summary>Alerts' outbox rows of <typeparamref name="T"/> about the incident that were delivered.</summary>
    private static string Delivered<T>(Guid incidentId) =>
        $"FROM alerts.outbox_messages WHERE type = '{typeof(T).FullName}' AND payload->>'incidentId' = '{incidentId}' AND dispatched_at IS NOT NULL";

    /// <summary>
    /// A gunshot incident whose opening reached no module in time: here, while it was delivered none of them reacted to gunfire — as if each had
    /// failed and its retry were due later, or the node had stopped before delivering it and the sweep delivers it after what the test does next
    /// (<see cref="DeliverOpeningLateAsync"/>). The modules' reaction settings are as they were afterwards.
    /// </summary>
    public static async Task<Guid> OpenedUnheardAsync(this AppFixture app, (double Lat, double Lon) place)
    {
        var lighting = await app.SendAsync(new GetLightingReactionSettingsQuery());
        var plates = await app.SendAsync(new GetPlatesReactionSettingsQuery());
        var video = await app.SendAsync(new GetVideoReactionSettingsQuery());
        try
        {
            await SetTriggersAsync([IncidentKinds.Noise]);
            var id = await app.PostGunshotAsync(place.Lat, place.Lon);
            await app.DeliveredAsync<IncidentOpenedEvent>(id);
            return id;
        }
        finally
        {
            await SetTriggersAsync(null);
        }

        async Task SetTriggersAsync(IReadOnlyList<string>? kinds)
        {
            await app.SendAsync(new UpdateLightingReactionSettingsCommand(kinds ?? lighting.TriggerKinds, lighting.RadiusMeters, lighting.LevelPercent,
                lighting.DurationMinutes, "tests"));
            await app.SendAsync(new UpdatePlatesReactionSettingsCommand(kinds ?? plates.TriggerKinds, plates.RadiusMeters, plates.WindowBeforeMinutes,
                plates.WindowAfterMinutes, plates.MaxBatchSize, "tests"));
            await app.SendAsync(new UpdateVideoReactionSettingsCommand(kinds ?? video.TriggerKinds, video.PreSeconds, video.PostMinutes, video.MaxPtzCameras,
                "tests"));
        }
    }

    /// <summary>The opening Alerts wrote, delivered again as its outbox would after a delay (to every module, in a scope of its own each time).</summary>
    public static async Task DeliverOpeningLateAsync(this AppFixture app, Guid incidentId, int times)
    {
        var opening = await app.DeliveredOutboxEventAsync<IncidentOpenedEvent>(incidentId);
        for (var delivery = 0; delivery < times; delivery++)
            await app.InScopeAsync(async sp =>
            {
                await sp.GetRequiredService<IPublisher>().Publish(opening);
                return 0;
            });
    }
}
