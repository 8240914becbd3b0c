using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SafeCities.Modules.Alerts;

namespace SafeCities.Tests.Browser;

/// <summary>The board as a console: pages of 25, grouping, the map-area filter, the shortcuts help, and a mute that the browser remembers.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class BoardConsoleTests(AppFixture app) : BrowserTest
{
    [Fact]
    public async Task The_board_pages_groups_filters_by_the_maps_area_and_remembers_its_mute()
    {
        var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed);
        using var device = app.Client(key);
        // More than a page of open incidents (other tests add theirs to the same board).
        for (var i = 0; i < 26; i++)
        {
            var (lat, lon) = Api.Place();
            Assert.Equal(HttpStatusCode.Created, (await device.PostAsJsonAsync("api/v1/sensors/gunshots", Api.Gunshot(null, lat, lon, 1))).StatusCode);
        }

        await using var walk = await RoleWalk.StartAsync(Browser, app, Users.Commander, RoleWalk.Desktop, "board-console");
        var page = walk.Page;
        await walk.GotoAsync("/");
        await Assertions.Expect(page.Locator("#hub-status")).ToHaveTextAsync("live", new() { Timeout = 15000 });
        var rows = page.Locator("#incidents tr[data-incident-id]:visible");
        await Assertions.Expect(rows).ToHaveCountAsync(25);
        await Assertions.Expect(page.Locator("#board-pager")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#page-info")).ToContainTextAsync("Page 1 of ");
        await page.Keyboard.PressAsync("n");
        await Assertions.Expect(page.Locator("#page-info")).ToContainTextAsync("Page 2 of ");
        Assert.InRange(await rows.CountAsync(), 1, 25);

        // Grouped by kind: a header row per kind, with its count.
        await page.Locator("#group-by").SelectOptionAsync("kind");
        await page.Keyboard.PressAsync("Escape"); // leaves the filter: the keys work again
        await Assertions.Expect(page.Locator("#incidents tr.board-group", new() { HasText = "Gunshot (" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#page-info")).ToContainTextAsync("Page 1 of ");

        // The map shows the city; the test incidents are spread over the country: most leave the list.
        var before = await page.Locator("#incidents tr[data-incident-id]").CountAsync();
        await page.GetByLabel("Only the map's area").CheckAsync();
        await Assertions.Expect(page.Locator("#filtered-out")).ToBeVisibleAsync();
        Assert.True(await rows.CountAsync() < Math.Min(25, before), "the map-area filter hid nothing");
        await page.GetByLabel("Only the map's area").UncheckAsync();

        // ? shows the shortcuts; m mutes, and the mute survives a reload.
        await page.Keyboard.PressAsync("?");
        await Assertions.Expect(page.Locator("#board-shortcuts.collapse.show")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#board-shortcuts")).ToContainTextAsync("acknowledge");
        await walk.ShotAsync("grouped-with-help");
        await page.Keyboard.PressAsync("m");
        await Assertions.Expect(page.Locator("#board-mute")).ToHaveTextAsync("Sound off");
        await walk.GotoAsync("/");
        await Assertions.Expect(page.Locator("#board-mute")).ToHaveTextAsync("Sound off");
        await Assertions.Expect(page.Locator("#hub-status")).ToHaveTextAsync("live", new() { Timeout = 15000 });
        var (nLat, nLon) = Api.Place();
        var id = (await (await device.PostAsJsonAsync("api/v1/sensors/gunshots", Api.Gunshot(null, nLat, nLon, 2))).ReadJsonAsync())["incidentId"]!.GetValue<Guid>();
        await Assertions.Expect(page.Locator("#board-alert")).ToHaveAttributeAsync("data-incident-id", id.ToString(), new() { Timeout = 10000 });
        await Assertions.Expect(page.Locator("#board-alert")).ToHaveAttributeAsync("data-sound", "muted");

        // From the keyboard: j selects the new gunshot (open gunshots first, newest first), c asks for the outcome, the row leaves the board.
        await page.Keyboard.PressAsync("j");
        await Assertions.Expect(page.Locator("#incidents tr.board-selected")).ToHaveAttributeAsync("data-incident-id", id.ToString());
        await page.Keyboard.PressAsync("c");
        await Assertions.Expect(page.Locator("#close-dialog")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#close-outcome option")).ToHaveTextAsync(
            ["Choose the outcome…", "Evidence of gunfire found", "No evidence found", "Other sound confirmed", "Not attended", "Other"]);
        await page.Locator("#close-submit").ClickAsync(); // no outcome chosen: the browser asks for one, nothing is sent
        await Assertions.Expect(page.Locator("#close-dialog")).ToBeVisibleAsync();
        await page.Locator("#close-outcome").SelectOptionAsync("other-sound");
        await page.Locator("#close-notes").FillAsync("Fireworks.");
        await page.Locator("#close-submit").ClickAsync();
        await Assertions.Expect(page.Locator($"#incidents tr[data-incident-id='{id}']")).ToHaveCountAsync(0);
        using (var admin = app.AdminClient())
        {
            var closed = (await (await admin.GetAsync($"api/v1/incidents/{id}")).ReadJsonAsync())["incident"]!;
            Assert.Equal(("closed", "other-sound", "Fireworks."), (closed["status"]!.GetValue<string>(), closed["outcome"]!.GetValue<string>(),
                closed["outcomeNotes"]!.GetValue<string>()));
        }
        await walk.AssertCleanAsync();
    }

    [Fact]
    public async Task A_gunshot_opened_after_the_board_was_drawn_but_before_its_connection_was_up_is_shown_and_announced_once_connected()
    {
        // The board is drawn, but its connection waits until the gunshot is in: its push reaches nobody.
        var (page, consoleErrors, release) = await OpenWithConnectionHeldAsync(app, "/", "#incidents");
        var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed);
        using var device = app.Client(key);
        var (lat, lon) = Api.Place();
        var id = (await (await device.PostAsJsonAsync("api/v1/sensors/gunshots", Api.Gunshot(null, lat, lon, 2))).ReadJsonAsync())["incidentId"]!.GetValue<Guid>();
        release();

        await Assertions.Expect(page.Locator("#hub-status")).ToHaveTextAsync("live", new() { Timeout = 15000 });
        await Assertions.Expect(page.Locator($"#incidents tr[data-incident-id='{id}']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#board-alert")).ToHaveAttributeAsync("data-incident-id", id.ToString());
        await Assertions.Expect(page.Locator("#board-alert")).ToBeVisibleAsync();
        Assert.True(consoleErrors.Count == 0, string.Join(Environment.NewLine, consoleErrors));
    }

    [Fact]
    public async Task An_incident_closed_after_the_board_was_drawn_but_before_its_connection_was_up_leaves_the_board_once_connected()
    {
        var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed);
        using var device = app.Client(key);
        var (lat, lon) = Api.Place();
        var id = (await (await device.PostAsJsonAsync("api/v1/sensors/gunshots", Api.Gunshot(null, lat, lon, 2))).ReadJsonAsync())["incidentId"]!.GetValue<Guid>();

        // The board is drawn with the gunshot open; it is closed before the board's connection is up: its push reaches nobody.
        var (page, consoleErrors, release) = await OpenWithConnectionHeldAsync(app, "/", "#initial-board");
        Assert.Contains(id.ToString(), await page.Locator("#initial-board").TextContentAsync() ?? "");
        using var commander = await app.SignedInAsync(Users.Commander, pageToken: true);
        Assert.Equal(HttpStatusCode.OK, (await commander.PostAsJsonAsync($"api/v1/incidents/{id}/close", new { outcome = "no-evidence" })).StatusCode);
        release();

        await Assertions.Expect(page.Locator("#hub-status")).ToHaveTextAsync("live", new() { Timeout = 15000 });
        await Assertions.Expect(page.Locator($"#incidents tr[data-incident-id='{id}']")).ToHaveCountAsync(0);
        Assert.True(consoleErrors.Count == 0, string.Join(Environment.NewLine, consoleErrors));
    }

    [Fact]
    public async Task The_board_says_how_many_incidents_it_leaves_out_and_where_to_find_them()
    {
        var (_, key) = await app.RegisterDeviceAsync(DeviceKinds.GunshotFeed);
        using var device = app.Client(key);
        var opened = new List<Guid>();
        for (var i = 0; i < 2; i++)
        {
            var (lat, lon) = Api.Place();
            opened.Add((await (await device.PostAsJsonAsync("api/v1/sensors/gunshots", Api.Gunshot(null, lat, lon, 1))).ReadJsonAsync())["incidentId"]!.GetValue<Guid>());
        }
        var (older, newer) = (opened[0], opened[1]);

        foreach (var (viewport, name) in new[] { (RoleWalk.Desktop, "board-left-out"), (RoleWalk.Phone, "board-left-out-phone") })
        {
            await using var walk = await RoleWalk.StartAsync(Browser, app, Users.Commander, viewport, name);
            var page = walk.Page;
            var note = page.Locator("#board-left-out");
            using (app.Override(new AlertsOptions { BoardLimit = 1 }))   // the board draws one incident of each status
            {
                await walk.GotoAsync("/");
                await Assertions.Expect(page.Locator("#hub-status")).ToHaveTextAsync("live", new() { Timeout = 15000 });
                await Assertions.Expect(note).ToBeVisibleAsync();
                await Assertions.Expect(note).ToHaveTextAsync(new Regex(@"^[\d,]+ open incidents: this board was drawn with the 1 most recently active \(all open incidents\)\."));
                await Assertions.Expect(page.Locator($"#incidents tr[data-incident-id='{newer}']")).ToHaveCountAsync(1);
                await Assertions.Expect(page.Locator($"#incidents tr[data-incident-id='{older}']")).ToHaveCountAsync(0);
                await walk.ShotAsync("left-out");
                await note.GetByRole(AriaRole.Link, new() { Name = "all open incidents" }).ClickAsync();
                await page.WaitForURLAsync(url => url.EndsWith("/incidents/history?status=open", StringComparison.Ordinal));
                await Assertions.Expect(page.Locator($"a[href='/Alerts/Incidents/Details/{older}']").First).ToBeVisibleAsync();
            }
            // At the limit as configured, both are drawn, and the note is gone.
            await walk.GotoAsync("/");
            await Assertions.Expect(page.Locator("#hub-status")).ToHaveTextAsync("live", new() { Timeout = 15000 });
            await Assertions.Expect(page.Locator($"#incidents tr[data-incident-id='{older}']")).ToHaveCountAsync(1);
            await Assertions.Expect(note).ToBeHiddenAsync();
            await walk.AssertCleanAsync();
        }
    }
}
