using Mediator;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Features;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Tests.Integration.Plates;

/// <summary>Readers, reads and incidents for the Plates tests, always at a fresh place (see <see cref="Api.Place"/>).</summary>
internal static class PlatesKit
{
    public static async Task<(Guid Id, string Key)> RegisterReaderAsync(this AppFixture app, double lat, double lon, double metersAway = 0, double bearing = 0)
    {
        var (readerLat, readerLon) = metersAway == 0 ? (lat, lon) : GeoMath.Offset(lat, lon, metersAway, bearing);
        return await app.RegisterDeviceAsync(DeviceKinds.PlateReader, readerLat, readerLon, new { headingDegrees = 90, lanes = 2 });
    }

    public static object Read(string readId, string plate, DateTimeOffset capturedAt, double confidence = 0.93, string region = "DC",
        string? make = "Honda", string? model = "Civic", string? color = "silver") =>
        new { readId, plate, region, capturedAt, confidence, make, model, color, imageRef = $"img://{readId}" };

    public static async Task<HttpResponseMessage> PostReadsAsync(this AppFixture app, string key, params object[] reads)
    {
        using var reader = app.Client(key);
        return await reader.PostAsJsonAsync("api/v1/plates/reads", new { reads });
    }

    /// <summary>Posts and expects 200; returns (accepted, duplicates).</summary>
    public static async Task<(int Accepted, int Duplicates)> SendReadsAsync(this AppFixture app, string key, params object[] reads)
    {
        var response = await app.PostReadsAsync(key, reads);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        var json = JsonNode.Parse(body)!;
        return (json["accepted"]!.GetValue<int>(), json["duplicates"]!.GetValue<int>());
    }

    public static Task<long> ReadsOfAsync(this AppFixture app, Guid readerId) =>
        app.CountAsync($"SELECT count(*) FROM plates.plate_reads WHERE reader_id = '{readerId}'");

    /// <summary>Publishes <see cref="IncidentOpenedEvent"/> as Alerts does after committing an incident.</summary>
    public static Task OpenIncidentAsync(this AppFixture app, Guid incidentId, double lat, double lon, DateTimeOffset at, string kind = IncidentKinds.Gunshot) =>
        app.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<IPublisher>().Publish(new IncidentOpenedEvent(incidentId, kind, lat, lon, at, 25));
            return 0;
        });

    public static Task<IReadOnlyList<IncidentPlateReadDto>> IncidentReadsAsync(this AppFixture app, Guid incidentId) =>
        app.InScopeAsync(sp => sp.GetRequiredService<ISender>().Send(new GetIncidentPlateReadsQuery(incidentId)).AsTask());

    /// <summary>Polls the incident (as Alerts shows it) until its timeline has an entry of <paramref name="kind"/> that satisfies <paramref name="match"/>.</summary>
    public static async Task<JsonNode> WaitForTimelineAsync(this AppFixture app, Guid incidentId, string kind, Func<string, bool>? match = null,
        string module = "Plates")
    {
        using var admin = app.AdminClient();
        JsonNode? detail = null;
        for (var i = 0; i < 100; i++)
        {
            detail = await (await admin.GetAsync($"api/v1/incidents/{incidentId}")).ReadJsonAsync();
            var entry = detail["timeline"]!.AsArray().FirstOrDefault(t => t!["module"]!.GetValue<string>() == module && t["kind"]!.GetValue<string>() == kind
                                                                         && (match is null || match(t["text"]!.GetValue<string>())));
            if (entry is not null)
                return entry;
            await Task.Delay(100);
        }
        Assert.Fail($"no {module} {kind} entry on the timeline of {incidentId} after 10 s: {detail?["timeline"]?.ToJsonString()}");
        return null!;
    }

    public static async Task<JsonArray> PlatesTimelineAsync(this AppFixture app, Guid incidentId)
    {
        using var admin = app.AdminClient();
        var detail = await (await admin.GetAsync($"api/v1/incidents/{incidentId}")).ReadJsonAsync();
        return new JsonArray(detail["timeline"]!.AsArray().Where(t => t!["module"]!.GetValue<string>() == "Plates").Select(t => t!.DeepClone()).ToArray());
    }

    /// <summary>
    /// Runs the automatic co-location job the opening of <paramref name="incidentId"/> queued (ADR 0042) as Hangfire would, with the
    /// arguments Hangfire stored: the tests' app runs no Hangfire server. Waits for the job to be stored (the opening reaches Plates after
    /// the gunshot's answer) and fails when it never is.
    /// </summary>
    public static async Task RunQueuedColocationAsync(this AppFixture app, Guid incidentId)
    {
        var a = await QueuedColocationAsync(app, "RunAsync", incidentId);
        await app.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<AutomaticColocationJob>().RunAsync(a[0].GetValue<Guid>(), a[1].GetValue<string>(), a[2].GetValue<double>(),
                a[3].GetValue<double>(), a[4].GetValue<DateTimeOffset>(), CancellationToken.None);
            return 0;
        });
    }

    /// <summary>Runs the co-location the correction of <paramref name="incidentId"/>'s location queued (ADR 0067), as Hangfire would.</summary>
    public static async Task RunQueuedColocationAtCorrectedPlaceAsync(this AppFixture app, Guid incidentId)
    {
        var a = await QueuedColocationAsync(app, nameof(AutomaticColocationJob.RunAtCorrectedPlaceAsync), incidentId);
        await app.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<AutomaticColocationJob>().RunAtCorrectedPlaceAsync(a[0].GetValue<Guid>(), a[1].GetValue<Guid>(),
                a[2].GetValue<string>(), a[3].GetValue<double>(), a[4].GetValue<double>(), a[5].GetValue<DateTimeOffset>(), CancellationToken.None);
            return 0;
        });
    }

    /// <summary>The arguments Hangfire stored for the one co-location job of <paramref name="method"/> queued for the incident (waited for: the
    /// event reaches Plates after the request's answer), without the last, the cancellation token Hangfire passes itself.</summary>
    private static async Task<JsonNode[]> QueuedColocationAsync(AppFixture app, string method, Guid incidentId)
    {
        var jobs = $"FROM hangfire.job WHERE invocationdata::text LIKE '%AutomaticColocationJob%' AND invocationdata::text LIKE '%\"{method}\"%' "
                   + $"AND arguments::text LIKE '%{incidentId}%'";
        await Poll.UntilAsync(async () => await app.CountAsync($"SELECT count(*) {jobs}") == 1, TimeSpan.FromSeconds(10), $"the co-location ({method}) queued");
        var arguments = JsonNode.Parse(await app.ScalarAsync<string>($"SELECT arguments::text {jobs}"))!.AsArray();
        return [.. arguments.SkipLast(1).Select(a => JsonNode.Parse(a!.GetValue<string>())!)];
    }

    /// <summary>A gunshot at the place, through the public API; the incident's id.</summary>
    public static async Task<Guid> ReportGunshotAsync(this AppFixture app, double lat, double lon, DateTimeOffset? at = null)
    {
        var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed);
        using var feed = app.Client(key);
        var response = await feed.PostAsJsonAsync("api/v1/sensors/gunshots", Api.Gunshot(null, lat, lon, 3, at));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync())["incidentId"]!.GetValue<Guid>();
    }
}
