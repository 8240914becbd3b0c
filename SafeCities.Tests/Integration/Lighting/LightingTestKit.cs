using Hangfire;
using Hangfire.Storage.Monitoring;
using Mediator;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Lighting.Contracts;
using SafeCities.Modules.Lighting.Darkness;
using SafeCities.Modules.Lighting.Drivers;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Tests.Integration.Lighting;

/// <summary>Places where it is dark or light right now, lights around them, incidents at them, and what the driver and Hangfire saw.</summary>
internal static class LightingTestKit
{
    /// <summary>
    /// A random place where it is now around solar midnight (or noon): the longitude follows the clock, the latitude stays within ±30°
    /// so there is no polar day or night. Far from every other test's place.
    /// </summary>
    public static (double Lat, double Lon) PlaceWhereItIs(bool dark, DateTimeOffset? at = null)
    {
        var now = at ?? DateTimeOffset.UtcNow;
        var solarHour = dark ? 0.0 : 12.0;
        var lon = (solarHour - now.UtcDateTime.TimeOfDay.TotalHours) * 15 + (Random.Shared.NextDouble() - 0.5) * 10;
        lon = ((lon + 540) % 360) - 180;
        var lat = (Random.Shared.NextDouble() - 0.5) * 60;
        Assert.Equal(dark, SolarCalculator.IsDark(lat, lon, now));
        return (lat, lon);
    }

    public static SimulatedStreetlightController Controller(this AppFixture app) => app.Services.GetRequiredService<SimulatedStreetlightController>();

    /// <summary>Registers streetlights at the given distances (m) and bearings from a place; normal level 40 %.</summary>
    public static async Task<Guid[]> AddLightsAsync(this AppFixture app, double lat, double lon, params (double Meters, double Bearing)[] spots)
    {
        var ids = new List<Guid>();
        foreach (var (meters, bearing) in spots)
        {
            var (a, b) = GeoMath.Offset(lat, lon, meters, bearing);
            ids.Add((await app.RegisterDeviceAsync(DeviceKinds.Streetlight, a, b, new { circuit = "T-1", controllerId = "SEG-TEST", normalLevel = 40 })).Id);
        }
        return [.. ids];
    }

    public static async Task EnsureDefaultSettingsAsync(this AppFixture app)
    {
        var d = LightingReactionSettingsDto.Defaults;
        var current = await app.SendAsync(new GetLightingReactionSettingsQuery());
        if (!current.TriggerKinds.SequenceEqual(d.TriggerKinds) || current.RadiusMeters != d.RadiusMeters || current.LevelPercent != d.LevelPercent
            || current.DurationMinutes != d.DurationMinutes)
            await app.SendAsync(new UpdateLightingReactionSettingsCommand(d.TriggerKinds, d.RadiusMeters, d.LevelPercent, d.DurationMinutes, "tests"));
    }

    public static Task<T> SendAsync<T>(this AppFixture app, ICommand<T> command) =>
        app.InScopeAsync(async sp => await sp.GetRequiredService<ISender>().Send(command));

    public static Task<T> SendAsync<T>(this AppFixture app, IQuery<T> query) =>
        app.InScopeAsync(async sp => await sp.GetRequiredService<ISender>().Send(query));

    /// <summary>Publishes IncidentOpened as Alerts does (its own scope), for an incident id Alerts does not know (no timeline).</summary>
    public static Task PublishIncidentAsync(this AppFixture app, Guid incidentId, double lat, double lon, DateTimeOffset? at = null, string kind = IncidentKinds.Gunshot) =>
        app.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<IPublisher>().Publish(new IncidentOpenedEvent(incidentId, kind, lat, lon, at ?? DateTimeOffset.UtcNow, 25));
            return 0;
        });

    /// <summary>A real incident: a gunshot posted by a gunshot feed, as in production.</summary>
    public static async Task<Guid> PostGunshotAsync(this AppFixture app, double lat, double lon)
    {
        var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed);
        using var device = app.Client(key);
        var response = await device.PostAsJsonAsync("api/v1/sensors/gunshots", Api.Gunshot(null, lat, lon, 3, DateTimeOffset.UtcNow.AddSeconds(-5)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync())["incidentId"]!.GetValue<Guid>();
    }

    /// <summary>Polls the incident until its timeline holds the given kinds of entry (the reactions run off the request path).</summary>
    public static Task<JsonArray> WaitForTimelineAsync(this AppFixture app, Guid incidentId, params string[] kinds) =>
        app.WaitForTimelineAsync(incidentId, timeline => kinds.All(k => timeline.Any(t => t!["kind"]!.GetValue<string>() == k)), string.Join(", ", kinds));

    /// <summary>Polls the incident until its timeline holds an entry whose text starts with <paramref name="text"/>.</summary>
    public static Task<JsonArray> WaitForTimelineTextAsync(this AppFixture app, Guid incidentId, string text) =>
        app.WaitForTimelineAsync(incidentId, timeline => timeline.Any(t => t!["text"]!.GetValue<string>().StartsWith(text, StringComparison.Ordinal)), text);

    private static async Task<JsonArray> WaitForTimelineAsync(this AppFixture app, Guid incidentId, Func<JsonArray, bool> done, string what)
    {
        using var admin = app.AdminClient();
        return await Poll.ForAsync(async () => (await (await admin.GetAsync($"api/v1/incidents/{incidentId}")).ReadJsonAsync())["timeline"]!.AsArray(),
            done, TimeSpan.FromSeconds(15),
            timeline => $"timeline of {incidentId} never showed {what}; it has: {string.Join(" | ", timeline.Select(t => $"{t!["kind"]}: {t["text"]}"))}");
    }

    public static string Text(this JsonArray timeline, string kind) =>
        timeline.Single(t => t!["kind"]!.GetValue<string>() == kind)!["text"]!.GetValue<string>();

    /// <summary>The Hangfire jobs scheduled (persisted in PostgreSQL) to restore an incident's lights.</summary>
    public static List<ScheduledJobDto> ScheduledRestores(this AppFixture app, Guid incidentId) =>
        app.Services.GetRequiredService<JobStorage>().GetMonitoringApi().ScheduledJobs(0, 5000)
            .Select(j => j.Value)
            .Where(j => j.Job?.Type.Name == "RestoreLightsJob" && j.Job.Args.Count > 0 && Equals(j.Job.Args[0], incidentId))
            .ToList();

    public static Task<long> LevelAsync(this AppFixture app, Guid lightId) =>
        app.CountAsync($"SELECT current_level FROM lighting.streetlights WHERE id = '{lightId}'");

    public static Task<string> StateAsync(this AppFixture app, Guid lightId) =>
        app.ScalarAsync<string>($"SELECT state FROM lighting.streetlights WHERE id = '{lightId}'");
}
