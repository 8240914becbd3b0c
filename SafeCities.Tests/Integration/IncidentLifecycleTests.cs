using Mediator;
using SafeCities.Modules.Alerts;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Sensors.Data;
using SafeCities.Modules.Sensors.Domain;
using SafeCities.Modules.Sensors.Features;

namespace SafeCities.Tests.Integration;

[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class IncidentLifecycleTests(AppFixture app)
{
    private async Task<Guid> OpenIncidentAsync()
    {
        var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed);
        using var device = app.Client(key);
        var (lat, lon) = Api.Place();
        var response = await device.PostAsJsonAsync("api/v1/sensors/gunshots", Api.Gunshot(null, lat, lon));
        return (await response.ReadJsonAsync())["incidentId"]!.GetValue<Guid>();
    }

    [Fact]
    public async Task A_module_report_lands_on_its_incidents_timeline_once_and_never_on_an_incident_that_does_not_exist()
    {
        var id = await OpenIncidentAsync();
        var report = new IncidentReactionReportedEvent(Guid.CreateVersion7(), id, "Video", "ClipSaved",
            new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.FromHours(-4)), "Clip saved from test camera");
        var stray = report with { ReactionId = Guid.CreateVersion7(), IncidentId = Guid.CreateVersion7() };
        // Delivered three times (the live dispatch, a retry, the sweep), once for an incident nobody opened.
        for (var i = 0; i < 3; i++)
            await app.InScopeAsync(async sp =>
            {
                await sp.GetRequiredService<IPublisher>().Publish(report);
                await sp.GetRequiredService<IPublisher>().Publish(stray);
                return true;
            });

        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM alerts.timeline WHERE id = '{report.ReactionId}' AND incident_id = '{id}' AND kind = 'ClipSaved' AND module = 'Video' AND at = '2026-07-01T16:00:00Z'"));
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM alerts.timeline WHERE id = '{stray.ReactionId}' OR incident_id = '{stray.IncidentId}'"));
    }

    [Fact]
    public async Task Open_then_acknowledged_then_closed_with_who_and_when_on_the_timeline()
    {
        var id = await OpenIncidentAsync();
        using var commander = app.Client(await app.CreateClientKeyAsync(Roles.Commander));

        var ack = await commander.PostAsync($"api/v1/incidents/{id}/acknowledge", null);
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        var acknowledged = await ack.ReadJsonAsync();
        Assert.Equal("acknowledged", acknowledged["status"]!.GetValue<string>());
        Assert.StartsWith("client:test-Commander", acknowledged["acknowledgedBy"]!.GetValue<string>());
        Assert.NotNull(acknowledged["acknowledgedAt"]);

        Assert.Equal(HttpStatusCode.Conflict, (await commander.PostAsync($"api/v1/incidents/{id}/acknowledge", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await commander.PostAsJsonAsync($"api/v1/incidents/{id}/close", new { outcome = "no-evidence" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await commander.PostAsJsonAsync($"api/v1/incidents/{id}/close", new { outcome = "no-evidence" })).StatusCode);

        var detail = await (await commander.GetAsync($"api/v1/incidents/{id}")).ReadJsonAsync();
        Assert.Equal("closed", detail["incident"]!["status"]!.GetValue<string>());
        // The modules' reactions (cameras, lights…) land on the timeline too, at their own pace; the lifecycle is Sensors' and Alerts' part.
        Assert.Equal(["IncidentOpened", "Acknowledged", "Closed"], detail["timeline"]!.AsArray()
            .Where(t => t!["module"]!.GetValue<string>() is "Sensors" or "Alerts").Select(t => t!["kind"]!.GetValue<string>()).ToArray());
        var open = (await (await commander.GetAsync("api/v1/incidents?status=open")).ReadJsonAsync()).AsArray();
        Assert.DoesNotContain(open, i => i!["id"]!.GetValue<Guid>() == id);
    }

    [Fact]
    public async Task The_board_draws_the_most_recently_active_incidents_of_each_status_up_to_its_limit_and_counts_them_all()
    {
        var older = await OpenIncidentAsync();
        var newer = await OpenIncidentAsync();
        using var commander = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        var all = (await (await commander.GetAsync("api/v1/incidents?status=open&limit=1000")).ReadJsonAsync()).AsArray().Count;
        Assert.InRange(all, 2, 999);   // every open incident of this database, in one list
        var board = await (await commander.GetAsync("api/v1/incidents/board")).ReadJsonAsync();
        Assert.Equal(500, board["limit"]!.GetValue<int>());   // the default
        Assert.Equal(all, board["open"]!.GetValue<int>());
        Assert.Contains(board["incidents"]!.AsArray(), i => i!["id"]!.GetValue<Guid>() == older);

        using (app.Override(new AlertsOptions { BoardLimit = 1 }))
        {
            board = await (await commander.GetAsync("api/v1/incidents/board")).ReadJsonAsync();
            Assert.Equal(1, board["limit"]!.GetValue<int>());
            Assert.Equal(all, board["open"]!.GetValue<int>());   // counted in all, drawn up to the limit
            var open = board["incidents"]!.AsArray().Where(i => i!["status"]!.GetValue<string>() == "open").ToList();
            Assert.Equal(newer, Assert.Single(open)!["id"]!.GetValue<Guid>());
            Assert.True(board["incidents"]!.AsArray().Count(i => i!["status"]!.GetValue<string>() == "acknowledged") <= 1);
        }
        using var judge = app.Client(await app.CreateClientKeyAsync(Roles.Judge));
        Assert.Equal(HttpStatusCode.Forbidden, (await judge.GetAsync("api/v1/incidents/board")).StatusCode);
    }

    [Fact]
    public async Task Open_incidents_are_listed_for_every_staff_role_with_the_promised_fields()
    {
        var id = await OpenIncidentAsync();
        foreach (var role in Users.StaffRoles)
        {
            using var client = app.Client(await app.CreateClientKeyAsync(role));
            var response = await client.GetAsync("api/v1/incidents?status=open");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var incident = (await response.ReadJsonAsync()).AsArray().Single(i => i!["id"]!.GetValue<Guid>() == id)!;
            foreach (var field in new[] { "id", "kind", "status", "latitude", "longitude", "openedAt" })
                Assert.NotNull(incident[field]);
        }
        using var judge = app.Client(await app.CreateClientKeyAsync(Roles.Judge));
        Assert.Equal(HttpStatusCode.Forbidden, (await judge.GetAsync("api/v1/incidents?status=open")).StatusCode);
    }

    [Fact]
    public async Task Analysts_may_look_but_not_acknowledge_and_unknown_incidents_are_404()
    {
        var id = await OpenIncidentAsync();
        using var analyst = app.Client(await app.CreateClientKeyAsync(Roles.Analyst));
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.PostAsync($"api/v1/incidents/{id}/acknowledge", null)).StatusCode);
        using var admin = app.AdminClient();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync($"api/v1/incidents/{Guid.NewGuid()}/close", new { outcome = "other" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"api/v1/incidents/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("api/v1/incidents?status=maybe")).StatusCode);
    }
}
