using Microsoft.Playwright;
using SafeCities.Tests.Integration.Video;

namespace SafeCities.Tests.Browser.Walks;

/// <summary>
/// The commander's main path (issue 16): a gunshot posted by a device arrives on the open board (flash and sound), the commander opens it from
/// the keyboard, watches the tasked camera live, acknowledges, adds a note, closes with an outcome, finds it in the incident history and
/// exports it as CSV; then the board and the incident on a phone, without sideways scroll. Screenshots: <c>walk-commander-*.png</c>.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class CommanderWalkTests(AppFixture app) : BrowserTest
{
    [Fact]
    public async Task A_commander_sees_a_new_gunshot_arrive_watches_it_acknowledges_notes_closes_with_an_outcome_and_finds_it_in_history()
    {
        await using var camera = await RtspTestCamera.StartAsync();
        var place = Api.Place();
        var cameraId = await app.CameraAsync(place, 40, 135, new { type = "ptz", rangeMeters = 250.0, streamUrl = camera.Url });
        var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed, place.Lat, place.Lon);

        await using var walk = await RoleWalk.StartAsync(Browser, app, Users.Commander, RoleWalk.Desktop, "commander");
        var page = walk.Page;
        await walk.GotoAsync("/");
        await Assertions.Expect(page.Locator("#hub-status")).ToHaveTextAsync("live", new() { Timeout = 15000 });
        // A person at the console has touched the page (browsers start sound only after a gesture); the sound is on.
        await page.Locator("h1").ClickAsync();
        await Assertions.Expect(page.Locator("#board-mute")).ToHaveTextAsync("Sound on");
        await walk.ShotAsync("board");

        // 1. A device reports a gunshot: it arrives on the open board with a flash banner and a beep.
        Guid id;
        using (var device = app.Client(key))
        {
            var response = await device.PostAsJsonAsync("api/v1/sensors/gunshots", Api.Gunshot(null, place.Lat, place.Lon, 4));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            id = (await response.ReadJsonAsync())["incidentId"]!.GetValue<Guid>();
        }
        var row = page.Locator($"#incidents tr[data-incident-id='{id}']");
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 10000 });
        var banner = page.Locator("#board-alert");
        await Assertions.Expect(banner).ToBeVisibleAsync();
        await Assertions.Expect(banner).ToContainTextAsync("New gunshot");
        await Assertions.Expect(banner).ToHaveAttributeAsync("data-incident-id", id.ToString());
        await Assertions.Expect(banner).ToHaveAttributeAsync("data-sound", "played");
        await walk.ShotAsync("new-gunshot");

        // 2. Opened from the keyboard: j selects the first (highest priority: an open gunshot) row, Enter opens it.
        using (var api = app.AdminClient())
            await VideoTestKit.WaitForVideoEntryAsync(api, id);
        await page.Keyboard.PressAsync("j");
        await Assertions.Expect(page.Locator("#incidents tr.board-selected")).ToHaveAttributeAsync("data-incident-id", id.ToString());
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == $"/Alerts/Incidents/Details/{id}");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Assertions.Expect(page.Locator("#incident-rounds")).ToHaveTextAsync("4 / 1");
        await Assertions.Expect(page.Locator("#incident-reacted")).ToContainTextAsync("camera");

        // 3. The tasked camera, live.
        var item = page.Locator($"#incident-cameras li[data-camera-id='{cameraId}']");
        await item.Locator("button.live-watch").ClickAsync();
        var video = item.Locator("video.live-video");
        await Assertions.Expect(video).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("v => v.currentTime > 1", await video.ElementHandleAsync(),
            new PageWaitForFunctionOptions { Timeout = 30_000, PollingInterval = 200 });
        await walk.ShotAsync("incident-live-video");
        await item.Locator("button.live-watch").ClickAsync();

        // 4. Acknowledge, a note, close with an outcome.
        await page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        await Assertions.Expect(page.Locator("#incident-status")).ToHaveTextAsync("acknowledged");
        await page.Locator("#note-text").FillAsync("Two casings at the north-east corner; <script>alert(1)</script> photo taken.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();
        await Assertions.Expect(page.Locator("#incident-notes li")).ToContainTextAsync("<script>alert(1)</script> photo taken.");
        await Assertions.Expect(page.Locator("#incident-notes li")).ToContainTextAsync("commander");
        // An officer's note from the field arrives live, in the notes and on the timeline.
        await Assertions.Expect(page.Locator("#hub-status")).ToHaveTextAsync("live", new() { Timeout = 15000 }); // the page after the post is connected
        using (var officer = app.Client(await app.CreateClientKeyAsync(Roles.Officer)))
            Assert.Equal(HttpStatusCode.OK, (await officer.PostAsJsonAsync($"api/v1/incidents/{id}/notes", new { text = "On scene, area secured." })).StatusCode);
        await Assertions.Expect(page.Locator("#incident-notes li", new() { HasText = "On scene, area secured." })).ToContainTextAsync("client:test-Officer",
            new() { Timeout = 10000 });
        await Assertions.Expect(page.Locator("#timeline li[data-kind='Note']")).ToHaveCountAsync(2);
        await page.Locator("#close-open").ClickAsync();
        await Assertions.Expect(page.Locator("#close-dialog")).ToBeVisibleAsync();
        await page.Locator("#close-outcome").SelectOptionAsync("gunfire-found");
        await page.Locator("#close-notes").FillAsync("Casings recovered, report 2026-4411.");
        await walk.ShotAsync("close-dialog");
        await page.Locator("#close-submit").ClickAsync();
        await Assertions.Expect(page.Locator("#incident-status")).ToHaveTextAsync("closed");
        await Assertions.Expect(page.Locator("#incident-outcome")).ToContainTextAsync("Evidence of gunfire found");
        await Assertions.Expect(page.Locator("#status-history li")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Reopen" })).ToBeVisibleAsync();
        await walk.ShotAsync("incident-closed");

        // 5. In the incident history (linked from the menu), and in its CSV export.
        await page.GetByRole(AriaRole.Link, new() { Name = "Incident history" }).First.ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/incidents/history");
        await page.Locator("#kind").SelectOptionAsync("gunshot");
        await page.Locator("#outcome").SelectOptionAsync("gunfire-found");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Assertions.Expect(page.Locator($"#history tr[data-incident-id='{id}']")).ToBeVisibleAsync();
        await walk.ShotAsync("history");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export-csv").ClickAsync());
        var csv = await File.ReadAllTextAsync(await download.PathAsync());
        var line = Assert.Single(csv.Split('\n'), l => l.StartsWith(id.ToString(), StringComparison.Ordinal));
        Assert.Contains(",gunfire-found,Evidence of gunfire found,\"Casings recovered, report 2026-4411.\"", line);
        Assert.Contains(",closed,", line);
        await walk.AssertCleanAsync();

        // 6. The same board and incident on a phone: nothing scrolls sideways.
        await using var phone = await RoleWalk.StartAsync(Browser, app, Users.Commander, RoleWalk.Phone, "commander-phone");
        await phone.GotoAsync("/");
        await phone.ShotAsync("board");
        await phone.GotoAsync($"/Alerts/Incidents/Details/{id}");
        await Assertions.Expect(phone.Page.Locator("#incident-outcome")).ToContainTextAsync("Evidence of gunfire found");
        await phone.ShotAsync("incident");
        await phone.GotoAsync("/incidents/history?kind=gunshot");
        await phone.ShotAsync("history");
        await phone.AssertCleanAsync();
    }
}
