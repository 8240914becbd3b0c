using SafeCities.Tests.Integration.Video;
using SafeCities.Tests.Integration.Lighting;
using SafeCities.Tests.Integration.Alerts;
using SafeCities.Tests.Integration.Plates;
using SafeCities.Modules.Alerts.Contracts;
using Mediator;
using Microsoft.Playwright;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Tests.Browser;

/// <summary>The integrated response seen by command staff: an incident page whose timeline, vehicles and status fill in live.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class IncidentTimelineTests(AppFixture app) : BrowserTest
{
    /// <summary>The incident's timeline as the API gives it: (id, module, kind) per entry.</summary>
    private async Task<List<(Guid Id, string Module, string Kind)>> TimelineAsync(Guid incidentId)
    {
        using var admin = app.AdminClient();
        return (await (await admin.GetAsync($"api/v1/incidents/{incidentId}")).ReadJsonAsync())["timeline"]!.AsArray()
            .Select(e => (e!["id"]!.GetValue<Guid>(), e["module"]!.GetValue<string>(), e["kind"]!.GetValue<string>())).ToList();
    }

    /// <summary>A commander's (or <paramref name="user"/>'s) page at <paramref name="path"/> (signed in on the way), once its connection to the hub is up.</summary>
    private async Task<(IPage Page, List<string> ConsoleErrors)> OpenLiveAsync(string path, string user = Users.Commander)
    {
        var (page, consoleErrors) = await SignedInPageAsync(app, user);
        await page.GotoAsync(path);
        await Assertions.Expect(page.Locator("#hub-status")).ToHaveTextAsync("live", new() { Timeout = 15000 });
        return (page, consoleErrors);
    }

    [Fact]
    public async Task The_incident_page_fills_in_live_as_the_city_reacts()
    {
        var (lat, lon) = Api.Place();
        var (rLat, rLon) = GeoMath.Offset(lat, lon, 120, 270);
        var (_, readerKey) = await app.RegisterDeviceAsync(DeviceKinds.PlateReader, rLat, rLon, new { headingDegrees = 90.0, lanes = 2 });
        var (cLat, cLon) = GeoMath.Offset(lat, lon, 70, 180);
        await app.RegisterDeviceAsync(DeviceKinds.Camera, cLat, cLon, new { type = "ptz", rangeMeters = 200, streamUrl = "rtsp://vms.test/cam-live" });
        var (_, feedKey) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed, lat, lon);
        using var feed = app.Client(feedKey);
        var id = (await (await feed.PostAsJsonAsync("api/v1/sensors/gunshots", Api.Gunshot(null, lat, lon, 2))).ReadJsonAsync())["incidentId"]!.GetValue<Guid>();
        // Let the first reactions land (readers armed, cameras turned, lights raised or not) before the page opens.
        string[] reacting = ["Plates", "Video", "Lighting"];
        for (var i = 0; i < 100; i++)
        {
            var modules = (await TimelineAsync(id)).Select(e => e.Module).ToHashSet();
            if (reacting.All(modules.Contains))
                break;
            await Task.Delay(100);
        }

        var (page, consoleErrors) = await OpenLiveAsync($"/Alerts/Incidents/Details/{id}");
        await Assertions.Expect(page.Locator("a.stream-link[href='rtsp://vms.test/cam-live']")).ToBeVisibleAsync();
        await MarkDrawnAsync(page);

        // 1. A vehicle passes the armed reader after the shot: the read is tied to the incident and appears live.
        var plate = "LV" + Random.Shared.Next(10000, 99999);
        using var reader = app.Client(readerKey);
        var posted = await reader.PostAsJsonAsync("api/v1/plates/reads", new
        {
            reads = new[] { new { readId = Guid.NewGuid().ToString("N"), plate, region = "DC", capturedAt = DateTimeOffset.UtcNow, confidence = 0.93, make = "Honda", color = "silver" } },
        });
        posted.EnsureSuccessStatusCode();
        await Assertions.Expect(page.Locator("#timeline li", new() { HasText = plate })).ToHaveCountAsync(1, new() { Timeout = 10000 });
        await Assertions.Expect(page.Locator("#incident-plate-reads")).ToContainTextAsync(plate);

        // 2. More gunfire nearby joins the incident.
        var (jLat, jLon) = GeoMath.Offset(lat, lon, 40, 90);
        await feed.PostAsJsonAsync("api/v1/sensors/gunshots", Api.Gunshot(null, jLat, jLon, 3));
        await Assertions.Expect(page.Locator("#incident-rounds")).ToHaveTextAsync("5 / 2", new() { Timeout = 10000 });
        await Assertions.Expect(page.Locator("#timeline li", new() { HasText = "More gunfire" })).ToHaveCountAsync(1);

        // 3. Another commander acknowledges it.
        using var other = app.Client(await app.CreateClientKeyAsync(Roles.Commander));
        await other.PostAsync($"api/v1/incidents/{id}/acknowledge", null);
        await Assertions.Expect(page.Locator("#incident-status")).ToHaveTextAsync("acknowledged", new() { Timeout = 10000 });
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Close" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".validation-summary-valid")).ToBeHiddenAsync();

        await Assertions.Expect(page.Locator("#timeline li", new() { HasText = $"Acknowledged by " })).ToHaveCountAsync(1);

        // Each module's reaction is on the timeline once, and on the page under its module's name.
        var timeline = await TimelineAsync(id);
        foreach (var (module, kinds) in new (string, string[])[]
                 {
                     ("Lighting", ["LightsBrightened", "LightingSkipped"]), ("Video", ["CamerasTasked"]), ("Plates", ["PlateReadersArmed"]),
                     ("Plates", ["IncidentReadsCaptured"]),
                 })
        {
            var entry = Assert.Single(timeline, e => e.Module == module && kinds.Contains(e.Kind));
            await Assertions.Expect(page.Locator($"#timeline li[data-entry-id='{entry.Id}'] .badge")).ToHaveTextAsync(module);
        }
        await AssertNotReloadedAsync(page);
        Assert.True(await page.EvaluateAsync<int>("() => document.querySelectorAll('.leaflet-interactive').length") >= 2, "incident and camera not drawn");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsDirectory, "incident-live.png"), FullPage = true });
        Assert.True(consoleErrors.Count == 0, string.Join(Environment.NewLine, consoleErrors));
    }

    [Fact]
    public async Task What_reaches_the_timeline_after_the_page_was_drawn_but_before_its_connection_was_up_is_shown_once_connected()
    {
        var (id, _, _) = await GunshotAsync();

        // The page is drawn, but its connection waits until a report has reached the timeline: the push of that report reaches nobody, as
        // for a commander whose page opened a moment before a module reported.
        var (page, consoleErrors, release) = await OpenWithConnectionHeldAsync(app, $"/Alerts/Incidents/Details/{id}", "#timeline");
        var text = $"Gap report {Guid.NewGuid():N}";
        await app.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<IPublisher>().Publish(new IncidentReactionReportedEvent(Guid.CreateVersion7(), id, "Plates", "GapTest",
                DateTimeOffset.UtcNow, text));
            return true;
        });
        Assert.Equal(0, await page.Locator("#timeline li", new() { HasText = text }).CountAsync());
        release();

        await Assertions.Expect(page.Locator("#hub-status")).ToHaveTextAsync("live", new() { Timeout = 15000 });
        await Assertions.Expect(page.Locator("#timeline li", new() { HasText = text })).ToHaveCountAsync(1);
        Assert.True(consoleErrors.Count == 0, string.Join(Environment.NewLine, consoleErrors));
    }

    [Fact]
    public async Task A_hit_decided_by_someone_else_shows_its_decision_on_the_open_page_without_a_reload()
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon);
        var list = await app.CreateHotlistAsync(level: "medium");
        var plate = HotlistKit.Plate();
        await app.AddEntryAsync(list, plate, reason: "Stolen vehicle");
        await app.SendReadsAsync(key, PlatesKit.Read(Guid.NewGuid().ToString("N"), plate, DateTimeOffset.UtcNow.AddSeconds(-2)));
        var hitId = (await app.OpenHitIncidentAsync(plate))["id"]!.GetValue<Guid>();

        var (page, consoleErrors) = await OpenLiveAsync($"/Alerts/Incidents/Details/{hitId}");
        await Assertions.Expect(page.Locator("#hit-adjudication form.hit-decision-form")).ToHaveCountAsync(1);
        await MarkDrawnAsync(page);

        // An officer at the car confirms it from their phone: the commander's open page shows the decision, and no form to decide again.
        using var officer = await app.SignedInAsync(Users.Officer, pageToken: true);
        Assert.Equal(HttpStatusCode.OK, (await officer.PostAsJsonAsync($"api/v1/plates/hits/{hitId}/decision",
            new { decision = "confirmed", reason = "confirmed-with-agency" })).StatusCode);
        await Assertions.Expect(page.Locator("#hit-adjudication .hit-badge")).ToHaveTextAsync("confirmed", new() { Timeout = 10000 });
        await Assertions.Expect(page.Locator("#hit-adjudication form.hit-decision-form")).ToHaveCountAsync(0);
        await AssertNotReloadedAsync(page);
        Assert.True(consoleErrors.Count == 0, string.Join(Environment.NewLine, consoleErrors));
    }

    [Fact]
    public async Task A_witness_statement_attached_while_the_page_is_open_is_listed_and_pinned_without_a_reload()
    {
        var (id, lat, lon) = await GunshotAsync();

        var (page, consoleErrors) = await OpenLiveAsync($"/Alerts/Incidents/Details/{id}");
        await Assertions.Expect(page.Locator("#witness-statements .witness-statement")).ToHaveCountAsync(0);
        // Nothing of the city's is near this spot: once the modules have said so, the summary says none could act (not "nothing yet").
        await Assertions.Expect(page.Locator("#incident-reacted")).ToHaveTextAsync("none could act here (see the timeline)", new() { Timeout = 10000 });
        await MarkDrawnAsync(page);

        // A resident 150 m away reports what they saw: it becomes the incident's witness statement, listed and pinned on the open page.
        var (nearLat, nearLon) = GeoMath.Offset(lat, lon, 150, 30);
        var report = await app.SubmitAsync(nearLat, nearLon, description: "Two men ran toward the park after the shots");
        Assert.Equal((CitizenReportStatus.Witness, (Guid?)id), await app.StatusAndIncidentAsync(report.Id));
        var statement = page.Locator("#witness-statements .witness-statement");
        await Assertions.Expect(statement).ToHaveCountAsync(1, new() { Timeout = 10000 });
        await Assertions.Expect(statement).ToContainTextAsync("ran toward the park");
        await Assertions.Expect(page.Locator("#witness-statements [data-role='count']")).ToHaveTextAsync("1");
        const string pins = """
            () => { let n = 0; window.safecities.incidentMap.eachLayer(l => { if (l.options && l.options.fillColor === '#6f42c1') n++; }); return n; }
            """;
        Assert.Equal(1, await page.EvaluateAsync<int>(pins));
        await AssertNotReloadedAsync(page);
        Assert.True(consoleErrors.Count == 0, string.Join(Environment.NewLine, consoleErrors));
    }

    [Fact]
    public async Task An_opening_delivered_after_the_close_shows_on_the_open_page_that_nothing_reacted_and_why()
    {
        await app.EnsureDefaultSettingsAsync();
        var place = LightingTestKit.PlaceWhereItIs(dark: true);
        await app.AddLightsAsync(place.Lat, place.Lon, (30, 90));
        await app.RegisterReaderAsync(place.Lat, place.Lon, 120, 180);
        var id = await app.OpenedUnheardAsync(place);
        using var commander = await app.SignedInAsync(Users.Commander, pageToken: true);
        Assert.Equal(HttpStatusCode.OK, (await commander.PostAsJsonAsync($"api/v1/incidents/{id}/close", new { outcome = "no-evidence" })).StatusCode);
        await app.DeliveredAsync<IncidentStandDownEvent>(id);

        var (page, consoleErrors) = await OpenLiveAsync($"/Alerts/Incidents/Details/{id}");
        await Assertions.Expect(page.Locator("#incident-reacted")).ToHaveTextAsync("nothing yet");
        await MarkDrawnAsync(page);
        await app.DeliverOpeningLateAsync(id, times: 1);   // the opening at last (a retry, the sweep after a crash)
        await Assertions.Expect(page.Locator("#incident-reacted")).ToHaveTextAsync("none: closed or reclassified before they ran", new() { Timeout = 10000 });
        foreach (var (kind, what) in new[] { ("LightsNotRaised", "lights not raised"), ("PlateReadersNotArmed", "plate readers not armed"),
                     ("CamerasNotTasked", "cameras not turned") })
            await Assertions.Expect(page.Locator($"#timeline li[data-kind='{kind}']"))
                .ToContainTextAsync($"Incident closed (No evidence found) before the reaction ran: {what}.", new() { Timeout = 10000 });
        await AssertNotReloadedAsync(page);
        Assert.True(consoleErrors.Count == 0, string.Join(Environment.NewLine, consoleErrors));
    }

    /// <summary>A gunshot of its own; its id and place.</summary>
    private async Task<(Guid Id, double Lat, double Lon)> GunshotAsync()
    {
        var (lat, lon) = Api.Place();
        var (_, feedKey) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed, lat, lon);
        using var feed = app.Client(feedKey);
        var id = (await (await feed.PostAsJsonAsync("api/v1/sensors/gunshots", Api.Gunshot(null, lat, lon, 2))).ReadJsonAsync())["incidentId"]!.GetValue<Guid>();
        return (id, lat, lon);
    }

    /// <summary>Someone else (an administrator, through the API) corrects the incident: a noise alert, <paramref name="meters"/> east.</summary>
    private async Task<(double Lat, double Lon)> CorrectAsync(Guid id, double lat, double lon, double meters)
    {
        var (newLat, newLon) = GeoMath.Offset(lat, lon, meters, 90);
        using var admin = await app.SignedInAsync(Users.Admin, pageToken: true);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"api/v1/incidents/{id}/corrections",
            new { kind = "noise", latitude = newLat, longitude = newLon, reason = "Fireworks, located by the second detector." })).StatusCode);
        return (newLat, newLon);
    }

    [Fact]
    public async Task A_place_corrected_while_the_page_is_open_moves_the_cameras_and_what_reacted_adds_the_lights_and_readers_there()
    {
        await app.EnsureDefaultSettingsAsync();
        var first = LightingTestKit.PlaceWhereItIs(dark: true);
        (double Lat, double Lon) there = GeoMath.Offset(first.Lat, first.Lon, 1200, 90);
        var ptz = new { type = "ptz", rangeMeters = 300.0 };
        await app.CameraAsync(first, 100, 180, ptz);
        var cameraThere = await app.CameraAsync(there, 80, 0, ptz);
        await app.AddLightsAsync(first.Lat, first.Lon, (40, 10));
        await app.AddLightsAsync(there.Lat, there.Lon, (50, 200), (60, 20));
        await app.RegisterReaderAsync(first.Lat, first.Lon, 100, 0);
        await app.RegisterReaderAsync(there.Lat, there.Lon, 200, 270);
        var id = await app.PostGunshotAsync(first.Lat, first.Lon);

        var (page, consoleErrors) = await OpenLiveAsync($"/Alerts/Incidents/Details/{id}");
        await Assertions.Expect(page.Locator("#incident-reacted")).ToHaveTextAsync("1 light · 1 camera · 1 plate reader", new() { Timeout = 10000 });
        await MarkDrawnAsync(page);

        using var admin = await app.SignedInAsync(Users.Admin, pageToken: true);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"api/v1/incidents/{id}/corrections",
            new { latitude = there.Lat, longitude = there.Lon, reason = "Casings found on the next block." })).StatusCode);

        // Lights and readers at the first place stay: they add up; the cameras are where the newest report says (ADR 0067).
        await Assertions.Expect(page.Locator("#incident-reacted")).ToHaveTextAsync("3 lights · 1 camera · 2 plate readers", new() { Timeout = 10000 });
        await Assertions.Expect(page.Locator($"#incident-cameras li[data-camera-id='{cameraThere}'] .badge")).ToHaveTextAsync("on scene", new() { Timeout = 10000 });
        await Assertions.Expect(page.Locator("#incident-cameras li[data-status='first-location'] .badge")).ToHaveTextAsync("left at the first location");
        await AssertNotReloadedAsync(page);
        Assert.True(consoleErrors.Count == 0, string.Join(Environment.NewLine, consoleErrors));
    }

    [Fact]
    public async Task With_the_correction_form_open_a_tap_on_the_map_fills_in_the_place_and_recording_it_moves_the_incident_there()
    {
        var (id, lat, lon) = await GunshotAsync();
        var (page, consoleErrors) = await OpenLiveAsync($"/Alerts/Incidents/Details/{id}");
        var box = (await page.Locator("#map").BoundingBoxAsync())!;
        var (x, y) = (Math.Round(box.Width * 0.75), Math.Round(box.Height * 0.3));
        var tapped = await page.EvaluateAsync<double[]>($"() => {{ const p = window.safecities.incidentMap.containerPointToLatLng([{x}, {y}]); return [p.lat, p.lng]; }}");
        var proposal = page.Locator(".leaflet-tooltip", new() { HasText = "Corrected place" });

        // The form closed: a tap on the map proposes nothing.
        await page.Locator("#map").ClickAsync(new() { Position = new() { X = (float)x, Y = (float)y } });
        await Assertions.Expect(page.Locator("#correct-lat")).ToHaveValueAsync(Fixed(lat, 6));
        await Assertions.Expect(proposal).ToHaveCountAsync(0);
        // Open: the tap fills in the place and marks it; closing the form takes the mark away.
        await page.Locator("#correct-incident summary").ClickAsync();
        await page.Locator("#map").ClickAsync(new() { Position = new() { X = (float)x, Y = (float)y } });
        await Assertions.Expect(page.Locator("#correct-lat")).ToHaveValueAsync(Fixed(tapped[0], 6));
        await Assertions.Expect(page.Locator("#correct-lon")).ToHaveValueAsync(Fixed(tapped[1], 6));
        await Assertions.Expect(proposal).ToHaveCountAsync(1);
        await page.Locator("#correct-incident summary").ClickAsync();
        await Assertions.Expect(proposal).ToHaveCountAsync(0);

        await page.Locator("#correct-incident summary").ClickAsync();
        await page.Locator("#map").ClickAsync(new() { Position = new() { X = (float)x, Y = (float)y } });
        await page.Locator("#correct-reason").FillAsync("The officer found the casings here");
        await page.Locator("#correct-submit").ClickAsync();
        await Assertions.Expect(page.Locator("#incident-corrections li")).ToHaveCountAsync(1, new() { Timeout = 10000 });
        using var admin = app.AdminClient();
        var incident = (await (await admin.GetAsync($"api/v1/incidents/{id}")).ReadJsonAsync())["incident"]!;
        Assert.Equal((Math.Round(tapped[0], 6), Math.Round(tapped[1], 6)),
            (Math.Round(incident["latitude"]!.GetValue<double>(), 6), Math.Round(incident["longitude"]!.GetValue<double>(), 6)));
        Assert.True(consoleErrors.Count == 0, string.Join(Environment.NewLine, consoleErrors));
    }

    [Fact]
    public async Task A_reported_incident_corrected_to_gunfire_shows_no_rounds_until_detected_shots_join_it_and_then_shows_them_live()
    {
        var (lat, lon) = Api.Place();
        var receipt = await app.SubmitAsync(lat, lon, description: "Bangs behind the school");
        var id = await app.SendAsync(s => s.Send(new OpenIncidentFromCitizenReportCommand(receipt.Id, "tests")));
        using var commander = await app.SignedInAsync(Users.Commander, pageToken: true);
        Assert.Equal(HttpStatusCode.OK, (await commander.PostAsJsonAsync($"api/v1/incidents/{id}/corrections",
            new { kind = "gunshot", reason = "Casings found." })).StatusCode);

        var (page, consoleErrors) = await OpenLiveAsync($"/Alerts/Incidents/Details/{id}");
        await Assertions.Expect(page.Locator("#incident-rounds-none")).ToHaveTextAsync("none detected by the sensors");
        await MarkDrawnAsync(page);
        // The detectors catch the next shots 40 m away: they join the incident, and its summary gets rounds and a first shot.
        var (_, feedKey) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed, lat, lon);
        using var feed = app.Client(feedKey);
        var (sLat, sLon) = GeoMath.Offset(lat, lon, 40, 90);
        var joined = await (await feed.PostAsJsonAsync("api/v1/sensors/gunshots", Api.Gunshot(null, sLat, sLon, 3))).ReadJsonAsync();
        Assert.Equal(id, joined["incidentId"]!.GetValue<Guid>());
        await Assertions.Expect(page.Locator("#incident-rounds")).ToHaveTextAsync("3 / 1", new() { Timeout = 10000 });
        await Assertions.Expect(page.Locator("#incident-summary dt", new() { HasText = "First shot" })).ToHaveCountAsync(1);
        await AssertNotReloadedAsync(page);
        Assert.True(consoleErrors.Count == 0, string.Join(Environment.NewLine, consoleErrors));
    }

    private static string Fixed(double value, int decimals) => value.ToString("F" + decimals, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_kind_and_place_corrected_by_someone_else_are_shown_on_the_open_page_and_its_correction_form_starts_from_them()
    {
        var (id, lat, lon) = await GunshotAsync();
        await using var walk = await RoleWalk.StartAsync(Browser, app, Users.Commander, RoleWalk.Desktop, "correction-commander");
        var page = walk.Page;
        await walk.GotoAsync($"/Alerts/Incidents/Details/{id}");
        await Assertions.Expect(page.Locator("#hub-status")).ToHaveTextAsync("live", new() { Timeout = 15000 });
        await Assertions.Expect(page.Locator("#incident-kind")).ToHaveTextAsync("Gunshot");
        await Assertions.Expect(page.Locator("#incident-corrections li")).ToHaveCountAsync(0);
        // The commander has begun a correction of their own.
        await page.Locator("#correct-incident summary").ClickAsync();
        await page.Locator("#correct-reason").FillAsync("Caller says it came from the school yard");
        await MarkDrawnAsync(page);
        await walk.ShotAsync("before");

        var (newLat, newLon) = await CorrectAsync(id, lat, lon, 300);

        await Assertions.Expect(page.Locator("#incident-corrections li")).ToHaveCountAsync(2, new() { Timeout = 10000 });
        await Assertions.Expect(page.Locator("#incident-kind")).ToHaveTextAsync("Noise");
        await Assertions.Expect(page.Locator("#incident-kind")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bkind-noise\b"));
        await Assertions.Expect(page.Locator("#incident-summary #incident-location")).ToHaveTextAsync($"{Fixed(newLat, 5)}, {Fixed(newLon, 5)}");
        // The form starts from the new kind and place (what it sends as a change is what differs from them); the reason being written stays.
        await Assertions.Expect(page.Locator("input[name=drawnLatitude]")).ToHaveValueAsync(Fixed(newLat, 6));
        await Assertions.Expect(page.Locator("#correct-lon")).ToHaveValueAsync(Fixed(newLon, 6));
        await Assertions.Expect(page.Locator("#correct-kind")).ToHaveValueAsync("noise");
        await Assertions.Expect(page.Locator("#correct-incident")).ToHaveAttributeAsync("open", "");
        await Assertions.Expect(page.Locator("#correct-reason")).ToHaveValueAsync("Caller says it came from the school yard");
        // The marker is at the new place.
        Assert.Equal(Fixed(newLat, 6), await page.EvaluateAsync<string>("""
            () => { let at = null; window.safecities.incidentMap.eachLayer(l => { if (l instanceof L.CircleMarker && l.options.radius === 10) at = l.getLatLng().lat.toFixed(6); }); return at; }
            """));
        await AssertNotReloadedAsync(page);
        await walk.ShotAsync("corrected-by-someone-else");
        await walk.AssertCleanAsync();
    }

    [Fact]
    public async Task An_officer_on_the_way_is_sent_to_a_place_corrected_while_the_responder_page_is_open()
    {
        var (id, lat, lon) = await GunshotAsync();
        var (myLat, myLon) = GeoMath.Offset(lat, lon, 500, 270);
        await using var walk = await RoleWalk.StartAsync(Browser, app, Users.Officer, RoleWalk.Phone, "correction-officer", new()
        {
            Permissions = ["geolocation"], Geolocation = new() { Latitude = (float)myLat, Longitude = (float)myLon, Accuracy = 5 },
        });
        var page = walk.Page;
        await walk.GotoAsync($"/respond/{id}");
        await Assertions.Expect(page.Locator("#hub-status")).ToHaveTextAsync("live", new() { Timeout = 15000 });
        await Assertions.Expect(page.Locator("#distance")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^(49\d|50\d) m away$"));
        await MarkDrawnAsync(page);
        await walk.ShotAsync("before");

        var (newLat, newLon) = await CorrectAsync(id, lat, lon, 300);

        await Assertions.Expect(page.Locator("#navigate")).ToHaveAttributeAsync("href",
            new System.Text.RegularExpressions.Regex(System.Text.RegularExpressions.Regex.Escape($"{Fixed(newLat, 6)},{Fixed(newLon, 6)}")), new() { Timeout = 10000 });
        await Assertions.Expect(page.Locator("#distance")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^(79\d|80\d) m away$"));
        await Assertions.Expect(page.Locator("#incident-kind")).ToHaveTextAsync("Noise");
        await Assertions.Expect(page.Locator("#incident-address #incident-responders")).ToHaveCountAsync(1);
        await AssertNotReloadedAsync(page);
        await walk.ShotAsync("corrected-by-someone-else");
        await walk.AssertCleanAsync();
    }

    [Fact]
    public async Task An_officer_going_en_route_is_shown_among_the_responders_of_the_commanders_open_page()
    {
        var (id, _, _) = await GunshotAsync();
        var (page, consoleErrors) = await OpenLiveAsync($"/Alerts/Incidents/Details/{id}");
        await Assertions.Expect(page.Locator("#incident-responders")).ToContainTextAsync("none yet");
        await MarkDrawnAsync(page);

        using var officer = await app.SignedInAsync(Users.Officer, pageToken: true);
        Assert.Equal(HttpStatusCode.OK, (await officer.PostAsJsonAsync($"api/v1/incidents/{id}/responders/me", new { status = "en-route" })).StatusCode);

        var badge = page.Locator($"#incident-responders .responder[data-user='{Users.Officer}']");
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-status", "en-route", new() { Timeout = 10000 });
        await Assertions.Expect(badge).ToContainTextAsync("en route");
        await Assertions.Expect(page.Locator("#incident-responders")).Not.ToContainTextAsync("none yet");
        await AssertNotReloadedAsync(page);
        Assert.True(consoleErrors.Count == 0, string.Join(Environment.NewLine, consoleErrors));
    }

    [Fact]
    public async Task Closing_the_incident_on_its_page_stands_its_lights_and_readers_down_and_what_reacted_says_so()
    {
        await app.EnsureDefaultSettingsAsync();
        var place = LightingTestKit.PlaceWhereItIs(dark: true);
        await app.AddLightsAsync(place.Lat, place.Lon, (40, 10), (70, 250));
        await app.RegisterReaderAsync(place.Lat, place.Lon, 100, 0);
        var id = await app.PostGunshotAsync(place.Lat, place.Lon);
        var (page, consoleErrors) = await OpenLiveAsync($"/Alerts/Incidents/Details/{id}");
        await Assertions.Expect(page.Locator("#incident-reacted")).ToHaveTextAsync("2 lights · 1 plate reader", new() { Timeout = 10000 });

        await page.Locator("#close-open").ClickAsync();
        await page.Locator("#close-outcome").SelectOptionAsync("other-sound");
        await page.Locator("#close-submit").ClickAsync();

        // ADR 0068: the lights go back and the reader stops tying reads, each said on the timeline; the count stays and says it ended.
        await Assertions.Expect(page.Locator("#incident-reacted")).ToHaveTextAsync("2 lights (released) · 1 plate reader (disarmed)", new() { Timeout = 10000 });
        await Assertions.Expect(page.Locator("#timeline li[data-kind='LightsRestored']"))
            .ToContainTextAsync("Incident closed (Other sound confirmed): 2 lights back to normal level.");
        await Assertions.Expect(page.Locator("#timeline li[data-kind='PlateReadersDisarmed']"))
            .ToContainTextAsync("Incident closed (Other sound confirmed): the 1 plate reader armed for it stops tying reads to it");
        Assert.True(consoleErrors.Count == 0, string.Join(Environment.NewLine, consoleErrors));
    }

    [Fact]
    public async Task An_incident_closed_and_reopened_elsewhere_offers_the_actions_that_apply_and_its_history_without_a_reload()
    {
        var (id, _, _) = await GunshotAsync();
        var (page, consoleErrors) = await OpenLiveAsync($"/Alerts/Incidents/Details/{id}");
        var actions = page.Locator("#incident-actions");
        await Assertions.Expect(actions.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" })).ToHaveCountAsync(1);
        await MarkDrawnAsync(page);

        // Another commander closes it: no Acknowledge or Close any more, Reopen instead; the outcome and the history say so.
        using var other = await app.SignedInAsync(Users.Admin, pageToken: true);
        Assert.Equal(HttpStatusCode.OK, (await other.PostAsJsonAsync($"api/v1/incidents/{id}/close", new { outcome = "no-evidence" })).StatusCode);
        await Assertions.Expect(actions.GetByRole(AriaRole.Button, new() { Name = "Reopen" })).ToHaveCountAsync(1, new() { Timeout = 10000 });
        await Assertions.Expect(actions.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" })).ToHaveCountAsync(0);
        await Assertions.Expect(actions.GetByRole(AriaRole.Button, new() { Name = "Close" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#incident-outcome")).ToContainTextAsync("closed");
        await Assertions.Expect(page.Locator("#status-history li")).ToHaveCountAsync(1);

        // And reopens it: the commander can close it from this page, with the gunshot's outcomes.
        Assert.Equal(HttpStatusCode.OK, (await other.PostAsJsonAsync($"api/v1/incidents/{id}/reopen", new { notes = "Audio re-examined." })).StatusCode);
        await Assertions.Expect(actions.GetByRole(AriaRole.Button, new() { Name = "Close" })).ToHaveCountAsync(1, new() { Timeout = 10000 });
        await Assertions.Expect(page.Locator("#status-history li")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#incident-outcome")).ToHaveCountAsync(0);
        await AssertNotReloadedAsync(page);
        await actions.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await page.Locator("#close-outcome").SelectOptionAsync("gunfire-found");
        await page.Locator("#close-submit").ClickAsync();
        await Assertions.Expect(page.Locator("#incident-status")).ToHaveTextAsync("closed");
        await Assertions.Expect(page.Locator("#incident-outcome")).ToContainTextAsync("Evidence of gunfire found");
        Assert.True(consoleErrors.Count == 0, string.Join(Environment.NewLine, consoleErrors));
    }

    [Fact]
    public async Task The_responder_pages_status_buttons_go_while_the_incident_is_closed_elsewhere_and_come_back_when_it_is_reopened()
    {
        var (id, _, _) = await GunshotAsync();
        var (page, consoleErrors) = await OpenLiveAsync($"/respond/{id}", Users.Officer);
        var enRoute = page.GetByRole(AriaRole.Button, new() { Name = "En route" });
        await Assertions.Expect(enRoute).ToBeVisibleAsync();
        await MarkDrawnAsync(page);

        using var commander = await app.SignedInAsync(Users.Commander, pageToken: true);
        Assert.Equal(HttpStatusCode.OK, (await commander.PostAsJsonAsync($"api/v1/incidents/{id}/close", new { outcome = "no-evidence" })).StatusCode);
        await Assertions.Expect(page.Locator("#incident-status")).ToHaveTextAsync("closed", new() { Timeout = 10000 });
        await Assertions.Expect(enRoute).ToBeHiddenAsync();

        Assert.Equal(HttpStatusCode.OK, (await commander.PostAsJsonAsync($"api/v1/incidents/{id}/reopen", new { notes = "Second call." })).StatusCode);
        await Assertions.Expect(page.Locator("#incident-status")).ToHaveTextAsync("open", new() { Timeout = 10000 });
        await Assertions.Expect(enRoute).ToBeVisibleAsync();
        await enRoute.ClickAsync();
        await Assertions.Expect(page.Locator("#my-status")).ToContainTextAsync("You: en route");
        await AssertNotReloadedAsync(page);
        Assert.True(consoleErrors.Count == 0, string.Join(Environment.NewLine, consoleErrors));
    }
}
