using Mediator;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Shared.Geo;
using SafeCities.Modules.Video.Contracts;
using SafeCities.Modules.Video.Drivers;

namespace SafeCities.Tests.Integration.Video;

/// <summary>Cameras placed around a fresh spot, the reaction triggered directly, and what it did read back.</summary>
internal static class VideoTestKit
{
    public static SimulatedCameraDriver Driver(this AppFixture app) => (SimulatedCameraDriver)app.Services.GetRequiredService<ICameraDriver>();

    /// <summary>Registers a camera <paramref name="meters"/> from a point in the direction <paramref name="bearingFromPoint"/>.</summary>
    public static async Task<Guid> CameraAsync(this AppFixture app, (double Lat, double Lon) point, double meters, double bearingFromPoint, object settings)
    {
        var (lat, lon) = GeoMath.Offset(point.Lat, point.Lon, meters, bearingFromPoint);
        return (await app.RegisterDeviceAsync(DeviceKinds.Camera, lat, lon, settings)).Id;
    }

    public static IncidentOpenedEvent Incident((double Lat, double Lon) point, DateTimeOffset? at = null, string kind = IncidentKinds.Gunshot) =>
        new(Guid.CreateVersion7(), kind, point.Lat, point.Lon, at ?? DateTimeOffset.UtcNow, 25);

    public static Task PublishAsync(this AppFixture app, IncidentOpenedEvent incident) =>
        app.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<IPublisher>().Publish(incident);
            return true;
        });

    public static Task<IReadOnlyList<IncidentCameraDto>> IncidentCamerasAsync(this AppFixture app, Guid incidentId) =>
        app.InScopeAsync(async sp => await sp.GetRequiredService<ISender>().Send(new GetIncidentCamerasQuery(incidentId)));

    /// <summary>Video's timeline reports for the incident (its outbox), once delivered; <c>PublishedAt</c> is when the outbox delivered each.</summary>
    public static Task<List<OutboxReport>> ReportsAsync(this AppFixture app, Guid incidentId) => app.OutboxReportsAsync("video", incidentId);

    public static Task<VideoReactionSettingsDto> SetReactionSettingsAsync(this AppFixture app, int pre, int post, int max, params string[] kinds) =>
        app.InScopeAsync(async sp => await sp.GetRequiredService<ISender>().Send(
            new UpdateVideoReactionSettingsCommand(kinds.Length == 0 ? [IncidentKinds.Gunshot] : kinds, pre, post, max, "tests")));

    /// <summary>Polls the incident (public API) until Video's first report is on its timeline (up to 10 s).</summary>
    public static async Task<JsonNode> WaitForVideoEntryAsync(HttpClient client, Guid incidentId)
    {
        for (var i = 0; i < 100; i++)
        {
            var detail = await (await client.GetAsync($"api/v1/incidents/{incidentId}")).ReadJsonAsync();
            if (detail["timeline"]!.AsArray().FirstOrDefault(t => t!["module"]!.GetValue<string>() == "Video") is { } entry)
                return entry;
            await Task.Delay(100);
        }
        throw new TimeoutException($"no Video entry on the timeline of incident {incidentId} within 10 s");
    }

    /// <summary>A gunshot through the public API at a spot; answers its incident.</summary>
    public static async Task<Guid> PostGunshotAsync(this AppFixture app, (double Lat, double Lon) place)
    {
        var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed);
        using var device = app.Client(key);
        var posted = await device.PostAsJsonAsync("api/v1/sensors/gunshots", Api.Gunshot(null, place.Lat, place.Lon));
        return (await posted.ReadJsonAsync())["incidentId"]!.GetValue<Guid>();
    }

    public static Task RestoreDefaultReactionSettingsAsync(this AppFixture app) => app.SetReactionSettingsAsync(30, 5, 10);
}
