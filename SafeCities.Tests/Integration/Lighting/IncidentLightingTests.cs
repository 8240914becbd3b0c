using System.Text.RegularExpressions;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using SafeCities.Modules.Lighting.Contracts;
using SafeCities.Modules.Lighting.Data;
using SafeCities.Modules.Lighting.Features;

namespace SafeCities.Tests.Integration.Lighting;

/// <summary>The integrated response, Lighting's part: lights up around a night-time incident, restores them, says why when it does not.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class IncidentLightingTests(AppFixture app)
{
    [Fact]
    public async Task At_night_only_the_lights_within_the_radius_are_raised_and_the_timeline_says_so()
    {
        await app.EnsureDefaultSettingsAsync();
        var (lat, lon) = LightingTestKit.PlaceWhereItIs(dark: true);
        var lights = await app.AddLightsAsync(lat, lon, (40, 10), (130, 200), (400, 90));
        var (near, edge, far) = (lights[0], lights[1], lights[2]);

        var incidentId = await app.PostGunshotAsync(lat, lon);
        var timeline = await app.WaitForTimelineAsync(incidentId, "LightsBrightened");

        Assert.Matches(@"^2 lights within 150 m raised to 100 % for \d+( h \d\d)? min\.$", timeline.Text("LightsBrightened"));
        Assert.Equal("Lighting", timeline.Single(t => t!["kind"]!.GetValue<string>() == "LightsBrightened")!["module"]!.GetValue<string>());
        var controller = app.Controller();
        Assert.Equal([100], controller.CommandsFor(near).Select(c => c.Level));
        Assert.Equal([100], controller.CommandsFor(edge).Select(c => c.Level));
        Assert.Empty(controller.CommandsFor(far));
        Assert.Equal((100, 100, 40), (await app.LevelAsync(near), await app.LevelAsync(edge), await app.LevelAsync(far)));
        Assert.Equal(("raised", "normal"), (await app.StateAsync(near), await app.StateAsync(far)));
        // Every level change is logged durably.
        Assert.Equal(2, await app.CountAsync(
            $"SELECT count(*) FROM lighting.level_changes WHERE incident_id = '{incidentId}' AND reason = 'incident-raise' AND level = 100 AND outcome = 'ok' AND attempts = 1"));

        using var officer = app.Client(await app.CreateClientKeyAsync(Modules.Shared.Security.Roles.Officer));
        var lighting = await (await officer.GetAsync($"api/v1/lighting/incidents/{incidentId}")).ReadJsonAsync();
        Assert.Equal("raised", lighting["outcome"]!.GetValue<string>());
        Assert.Equal([near, edge], lighting["lights"]!.AsArray().Select(l => l!["lightId"]!.GetValue<Guid>()).Order());
        Assert.All(lighting["lights"]!.AsArray(), l => Assert.Equal("raised", l!["state"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, (await officer.GetAsync($"api/v1/lighting/incidents/{Guid.NewGuid()}")).StatusCode);

        // The view component for the incident page: the decision, each light, and the lights as JSON for the incident map.
        using var staff = await app.SignedInAsync(Users.Officer);
        var html = await staff.GetStringAsync($"Lighting/Incidents/Details/{incidentId}");
        var json = Regex.Match(html, "<script type=\"application/json\" id=\"incident-lights-data\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
        var drawn = JsonNode.Parse(json)!.AsArray();
        Assert.Equal(2, drawn.Count);
        Assert.All(drawn, l =>
        {
            Assert.Equal(["latitude", "level", "longitude", "name", "state"], l!.AsObject().Select(p => p.Key).Order());
            Assert.Equal(100, l["level"]!.GetValue<int>());
            Assert.Equal("raised", l["state"]!.GetValue<string>());
        });
        Assert.Contains(timeline.Text("LightsBrightened"), html);
    }

    [Fact]
    public async Task The_restore_is_scheduled_in_hangfire_and_the_job_brings_normal_levels_back_and_reports_it()
    {
        await app.EnsureDefaultSettingsAsync();
        var (lat, lon) = LightingTestKit.PlaceWhereItIs(dark: true);
        var lights = await app.AddLightsAsync(lat, lon, (20, 0), (60, 120));
        var before = DateTimeOffset.UtcNow;
        var incidentId = await app.PostGunshotAsync(lat, lon);
        await app.WaitForTimelineAsync(incidentId, "LightsBrightened");

        var scheduled = Assert.Single(app.ScheduledRestores(incidentId));
        var enqueueAt = new DateTimeOffset(DateTime.SpecifyKind(scheduled.EnqueueAt, DateTimeKind.Utc));
        Assert.InRange(enqueueAt, before.AddMinutes(15).AddSeconds(-5), DateTimeOffset.UtcNow.AddMinutes(15).AddSeconds(5));
        Assert.Equal(1, await app.CountAsync(
            $"SELECT count(*) FROM lighting.incident_lighting WHERE incident_id = '{incidentId}' AND restore_due_at BETWEEN now() + interval '14 minutes' AND now() + interval '16 minutes' AND restored_at IS NULL"));

        // The Hangfire server is off in tests: run the scheduled job as Hangfire would.
        await app.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<RestoreLightsJob>().RunAsync(incidentId, CancellationToken.None);
            return 0;
        });

        var timeline = await app.WaitForTimelineAsync(incidentId, "LightsBrightened", "LightsRestored");
        Assert.Equal("2 lights back to normal level.", timeline.Text("LightsRestored"));
        foreach (var light in lights)
        {
            Assert.Equal([100, 40], app.Controller().CommandsFor(light).Select(c => c.Level));
            Assert.Equal(40, await app.LevelAsync(light));
            Assert.Equal("normal", await app.StateAsync(light));
        }
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM lighting.incident_lighting WHERE incident_id = '{incidentId}' AND restored_at IS NOT NULL"));
        var lighting = await app.SendAsync(new GetIncidentLightingQuery(incidentId));
        Assert.All(lighting!.Lights, l => Assert.Equal("restored", l.State));

        // Running it again (a retried job) sends nothing and reports nothing new.
        var commands = app.Controller().Commands.Count;
        await app.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<RestoreLightsJob>().RunAsync(incidentId, CancellationToken.None);
            return 0;
        });
        Assert.Equal(commands, app.Controller().Commands.Count);
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM alerts.timeline WHERE incident_id = '{incidentId}' AND kind = 'LightsRestored'"));
    }

    [Fact]
    public async Task In_daylight_nothing_changes_and_the_timeline_says_why()
    {
        await app.EnsureDefaultSettingsAsync();
        var (lat, lon) = LightingTestKit.PlaceWhereItIs(dark: false);
        var light = (await app.AddLightsAsync(lat, lon, (25, 45)))[0];

        var incidentId = await app.PostGunshotAsync(lat, lon);
        var timeline = await app.WaitForTimelineAsync(incidentId, "LightingSkipped");

        var text = timeline.Text("LightingSkipped");
        Assert.StartsWith("Daylight at this place and time (", text);
        Assert.Matches(@"civil dawn (in )?\d+( h \d\d)? min( ago)?, civil dusk (in )?\d+( h \d\d)? min( ago)?", text);
        Assert.DoesNotContain("UTC", text);
        Assert.DoesNotMatch(@"\d\d:\d\d", text);
        Assert.Matches(@"sun \d+° above the horizon", text);
        Assert.EndsWith("lights not raised.", text);
        Assert.Empty(app.Controller().CommandsFor(light));
        Assert.Equal(40, await app.LevelAsync(light));
        Assert.Empty(app.ScheduledRestores(incidentId));
        Assert.DoesNotContain(timeline, t => t!["kind"]!.GetValue<string>() == "LightsBrightened");
        Assert.Equal("daylight", (await app.SendAsync(new GetIncidentLightingQuery(incidentId)))!.Outcome);
    }

    [Fact]
    public async Task The_overdue_sweep_restores_lights_whose_restore_job_was_lost()
    {
        await app.EnsureDefaultSettingsAsync();
        var (lat, lon) = LightingTestKit.PlaceWhereItIs(dark: true);
        var light = (await app.AddLightsAsync(lat, lon, (30, 300)))[0];
        var incidentId = Guid.CreateVersion7();
        await app.PublishIncidentAsync(incidentId, lat, lon);
        Assert.Equal(100, await app.LevelAsync(light));

        // The crash: the scheduled job is gone (never ran), only the durable due time is left.
        Assert.Single(app.ScheduledRestores(incidentId));
        var jobId = await app.InScopeAsync(sp => sp.GetRequiredService<LightingDbContext>().IncidentLighting
            .Where(i => i.IncidentId == incidentId).Select(i => i.RestoreJobId).SingleAsync());
        Assert.NotNull(jobId);
        Assert.True(app.Services.GetRequiredService<IBackgroundJobClient>().Delete(jobId));
        Assert.Empty(app.ScheduledRestores(incidentId));

        // Not yet due: the sweep leaves it alone.
        await app.InScopeAsync(sp => sp.GetRequiredService<RestoreOverdueLightsJob>().RunAsync(CancellationToken.None));
        Assert.Equal(100, await app.LevelAsync(light));

        // Time passes (15 min later, after the downtime).
        await app.CountAsync($"UPDATE lighting.incident_lighting SET restore_due_at = now() - interval '1 minute' WHERE incident_id = '{incidentId}' RETURNING 1");
        var released = await app.InScopeAsync(sp => sp.GetRequiredService<RestoreOverdueLightsJob>().RunAsync(CancellationToken.None));

        Assert.True(released >= 1);
        Assert.Equal(40, await app.LevelAsync(light));
        Assert.Equal([100, 40], app.Controller().CommandsFor(light).Select(c => c.Level));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM lighting.incident_lighting WHERE incident_id = '{incidentId}' AND restored_at IS NOT NULL"));
        Assert.Equal(1, await app.CountEventuallyAsync(
            $"SELECT count(*) FROM lighting.outbox_messages WHERE payload->>'incidentId' = '{incidentId}' AND payload->>'kind' = 'LightsRestored' AND dispatched_at IS NOT NULL", 1));
    }

    [Fact]
    public async Task A_failing_light_is_retried_and_reported_while_the_others_are_raised_and_its_restore_is_retried_too()
    {
        await app.EnsureDefaultSettingsAsync();
        var (lat, lon) = LightingTestKit.PlaceWhereItIs(dark: true);
        var lights = await app.AddLightsAsync(lat, lon, (30, 0), (50, 90), (70, 180));
        var (broken, ok1, ok2) = (lights[0], lights[1], lights[2]);
        var controller = app.Controller();
        controller.FailFor(broken);
        Guid incidentId;
        try
        {
            incidentId = await app.PostGunshotAsync(lat, lon);
            var timeline = await app.WaitForTimelineAsync(incidentId, "LightsBrightened", "LightingFailed");

            Assert.Matches(@"^2 lights within 150 m raised to 100 % for \d+( h \d\d)? min; 1 did not respond\.$", timeline.Text("LightsBrightened"));
            var failed = timeline.Text("LightingFailed");
            var brokenName = (await app.SendAsync(new GetIncidentLightingQuery(incidentId)))!.Lights.Single(l => l.LightId == broken).Name;
            Assert.StartsWith($"Could not raise 1 of 3 lights after 3 tries: {brokenName} (controller SEG-TEST did not acknowledge", failed);
            Assert.Equal(3, controller.CommandsFor(broken).Count);
            Assert.All(controller.CommandsFor(broken), c => Assert.False(c.Accepted));
            Assert.Equal((40, 100, 100), (await app.LevelAsync(broken), await app.LevelAsync(ok1), await app.LevelAsync(ok2)));
            Assert.Equal(1, await app.CountAsync(
                $"SELECT count(*) FROM lighting.level_changes WHERE light_id = '{broken}' AND outcome = 'failed' AND attempts = 3 AND error LIKE '%did not acknowledge%'"));
            var states = (await app.SendAsync(new GetIncidentLightingQuery(incidentId)))!.Lights.ToDictionary(l => l.LightId, l => l.State);
            Assert.Equal(("failed", "raised", "raised"), (states[broken], states[ok1], states[ok2]));
        }
        finally
        {
            controller.Recover(broken);
        }

        // Now one of the raised lights fails its restore: the others are restored, it is reported once and retried by the sweep.
        controller.FailFor(ok1);
        try
        {
            await app.InScopeAsync(async sp =>
            {
                await sp.GetRequiredService<RestoreLightsJob>().RunAsync(incidentId, CancellationToken.None);
                return 0;
            });
            await app.WaitForTimelineAsync(incidentId, "LightsRestored");
            // The reports are delivered after commit, each on its own: wait for the failure report too.
            var timeline = await app.WaitForTimelineTextAsync(incidentId, "Could not restore 1 light after 3 tries");
            Assert.Equal("1 light back to normal level.", timeline.Text("LightsRestored"));
            Assert.Contains(timeline, t => t!["text"]!.GetValue<string>().StartsWith("Could not restore 1 light after 3 tries", StringComparison.Ordinal));
            Assert.Equal((100, 40), (await app.LevelAsync(ok1), await app.LevelAsync(ok2)));
            Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM lighting.incident_lighting WHERE incident_id = '{incidentId}' AND restored_at IS NOT NULL"));
        }
        finally
        {
            controller.Recover(ok1);
        }
        await app.CountAsync($"UPDATE lighting.incident_lighting SET restore_due_at = now() - interval '1 minute' WHERE incident_id = '{incidentId}' RETURNING 1");
        await app.InScopeAsync(sp => sp.GetRequiredService<RestoreOverdueLightsJob>().RunAsync(CancellationToken.None));
        Assert.Equal(40, await app.LevelAsync(ok1));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM lighting.incident_lighting WHERE incident_id = '{incidentId}' AND restored_at IS NOT NULL"));
    }

    [Fact]
    public async Task A_light_raised_by_two_incidents_returns_to_normal_only_when_neither_needs_it()
    {
        await app.EnsureDefaultSettingsAsync();
        var (lat, lon) = LightingTestKit.PlaceWhereItIs(dark: true);
        var shared = (await app.AddLightsAsync(lat, lon, (60, 90)))[0];
        var (first, second) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        await app.PublishIncidentAsync(first, lat, lon);
        var (lat2, lon2) = Modules.Shared.Geo.GeoMath.Offset(lat, lon, 120, 90); // 60 m from the light on the other side
        await app.PublishIncidentAsync(second, lat2, lon2);
        Assert.Equal([100, 100], app.Controller().CommandsFor(shared).Select(c => c.Level));

        Assert.Equal(1, await app.SendAsync(new RestoreIncidentLightsCommand(first)));
        Assert.Equal(100, await app.LevelAsync(shared));
        Assert.Equal("raised", await app.StateAsync(shared));
        Assert.Equal([100, 100], app.Controller().CommandsFor(shared).Select(c => c.Level)); // nothing sent: still needed
        Assert.Equal(1, await app.CountAsync(
            $"SELECT count(*) FROM lighting.outbox_messages WHERE payload->>'incidentId' = '{first}' AND payload->>'text' = '1 light released: 0 back to normal level, 1 kept raised for another incident.'"));

        Assert.Equal(1, await app.SendAsync(new RestoreIncidentLightsCommand(second)));
        Assert.Equal(40, await app.LevelAsync(shared));
        Assert.Equal("normal", await app.StateAsync(shared));
        Assert.Equal([100, 100, 40], app.Controller().CommandsFor(shared).Select(c => c.Level));
    }

    [Fact]
    public async Task The_reaction_is_idempotent_per_incident_and_ignores_other_kinds_and_stale_incidents()
    {
        await app.EnsureDefaultSettingsAsync();
        var (lat, lon) = LightingTestKit.PlaceWhereItIs(dark: true);
        var light = (await app.AddLightsAsync(lat, lon, (10, 10)))[0];
        var incidentId = Guid.CreateVersion7();

        await app.PublishIncidentAsync(incidentId, lat, lon);
        await app.PublishIncidentAsync(incidentId, lat, lon); // the Alerts sweep re-publishes after another module failed

        Assert.Single(app.Controller().CommandsFor(light));
        Assert.Single(app.ScheduledRestores(incidentId));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM lighting.light_raises WHERE incident_id = '{incidentId}'"));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM lighting.outbox_messages WHERE payload->>'incidentId' = '{incidentId}'"));

        var other = Guid.CreateVersion7();
        await app.PublishIncidentAsync(other, lat, lon, kind: "fire");
        Assert.Null(await app.SendAsync(new GetIncidentLightingQuery(other)));

        var (emptyLat, emptyLon) = LightingTestKit.PlaceWhereItIs(dark: true);
        var nowhere = Guid.CreateVersion7();
        await app.PublishIncidentAsync(nowhere, emptyLat, emptyLon);
        var none = await app.SendAsync(new GetIncidentLightingQuery(nowhere));
        Assert.Equal("no-lights", none!.Outcome);
        Assert.Matches(@"^No streetlights within 150 m to raise \(it is dark there: sun \d+° below the horizon\)\.$", none.Summary);
        Assert.Empty(app.ScheduledRestores(nowhere));

        // Re-dispatched long after the fact (e.g. after downtime): raising now would be pointless, and it says so.
        var old = Guid.CreateVersion7();
        var (oldLat, oldLon) = LightingTestKit.PlaceWhereItIs(dark: true, DateTimeOffset.UtcNow.AddHours(-2));
        var oldLight = (await app.AddLightsAsync(oldLat, oldLon, (10, 10)))[0];
        await app.PublishIncidentAsync(old, oldLat, oldLon, DateTimeOffset.UtcNow.AddHours(-2));
        var stale = await app.SendAsync(new GetIncidentLightingQuery(old));
        Assert.Equal("stale", stale!.Outcome);
        Assert.StartsWith("Lights not raised: the incident happened 2 h 0 min ago, longer than the 15-minute raise would last", stale.Summary);
        Assert.Empty(app.Controller().CommandsFor(oldLight));
    }
}
