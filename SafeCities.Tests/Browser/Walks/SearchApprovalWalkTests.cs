using Microsoft.Playwright;
using SafeCities.Tests.Integration.Plates;
using static SafeCities.Tests.Integration.Intelligence.IntelApi;

namespace SafeCities.Tests.Browser.Walks;

/// <summary>
/// The supervisor's approval in Chromium (ADR 0047), screenshots <c>walk-approval-*.png</c>: an analyst searches without a case number and is told
/// the search waits for approval; a commander approves it in the queue on a desktop, and another on a phone; the analyst runs each approved search
/// once (a second run is refused, said on the page). No console error, no answer ≥ 500, no request outside the origin, no sideways scroll.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class SearchApprovalWalkTests(AppFixture app) : BrowserTest
{
    [Fact]
    public async Task An_analyst_waits_for_approval_a_commander_approves_on_desktop_and_phone_and_the_analyst_runs_each_once()
    {
        var (lat, lon) = Api.Place();
        var (_, readerKey) = await app.RegisterReaderAsync(lat, lon);
        var plates = new[] { "W" + Unique("")[..6].ToUpperInvariant(), "W" + Unique("")[..6].ToUpperInvariant() };
        foreach (var plate in plates)
            await app.SendReadsAsync(readerKey, PlatesKit.Read(Guid.NewGuid().ToString("N"), plate, DateTimeOffset.UtcNow.AddMinutes(-30)));

        await using var analyst = await RoleWalk.StartAsync(Browser, app, Users.Analyst, RoleWalk.Desktop, "approval-analyst");
        var ids = new List<string>();
        foreach (var plate in plates)
        {
            // The form, filled as a person would: no case number, an offence and why.
            await analyst.GotoAsync("/Plates/Search");
            await analyst.Page.Locator("#plate").FillAsync(plate);
            await analyst.Page.Locator("#offence").SelectOptionAsync("robbery");
            await analyst.Page.Locator("#purpose").FillAsync($"caller saw {plate} leave the robbery, no case opened yet");
            await analyst.Page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
            var status = analyst.Page.Locator("#approval-status");
            await Assertions.Expect(status).ToContainTextAsync("Waiting for approval");
            await Assertions.Expect(status).ToContainTextAsync("no case number");
            await Assertions.Expect(analyst.Page.Locator("#vehicles")).ToHaveCountAsync(0);   // not run
            ids.Add((await status.GetAttributeAsync("data-approval-id"))!);
            if (ids.Count == 1)
                await analyst.ShotAsync("waiting");
        }
        // Checking again before a decision: still waiting.
        await analyst.Page.Locator("#approval-rerun").ClickAsync();
        await Assertions.Expect(analyst.Page.Locator("#approval-status")).ToContainTextAsync("still waits for a commander");

        foreach (var (viewport, name, index) in new[] { (RoleWalk.Desktop, "approval-commander", 0), (RoleWalk.Phone, "approval-commander-phone", 1) })
        {
            await using var commander = await RoleWalk.StartAsync(Browser, app, Users.Commander, viewport, name);
            await commander.GotoAsync("/Approvals");
            var card = commander.Page.Locator($"#request-{ids[index]}");
            await Assertions.Expect(card).ToContainTextAsync(Users.Analyst);
            await Assertions.Expect(card).ToContainTextAsync(plates[index]);
            await Assertions.Expect(card).ToContainTextAsync("no case opened yet");
            await commander.ShotAsync("queue");
            await card.GetByLabel("Reason").FillAsync("Robbery in progress reported; case to be opened by the desk.");
            await card.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
            await Assertions.Expect(commander.Page.Locator("#approval-notice")).ToContainTextAsync("Approved");
            await Assertions.Expect(commander.Page.Locator($"#approval-decisions li[data-approval-id='{ids[index]}']")).ToHaveAttributeAsync("data-status", "approved");
            await commander.ShotAsync("approved");
            await commander.AssertCleanAsync();
        }

        // The analyst asks the same searches again: each is approved now, and runs once from its status.
        for (var i = 0; i < plates.Length; i++)
        {
            await analyst.GotoAsync($"/Plates/Search?plate={plates[i]}&offence=robbery&purpose={Uri.EscapeDataString($"caller saw {plates[i]} leave the robbery, no case opened yet")}");
            var status = analyst.Page.Locator("#approval-status");
            await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "approved");
            await Assertions.Expect(status).ToHaveAttributeAsync("data-approval-id", ids[i]);
            if (i == 0)
                await analyst.ShotAsync("approved");
            await analyst.Page.Locator("#approval-rerun").ClickAsync();
            await Assertions.Expect(analyst.Page.Locator($"#vehicles tr[data-plate='{plates[i]}']")).ToBeVisibleAsync();
            await analyst.ShotAsync($"approved-run-{i + 1}");
            await analyst.Page.ReloadAsync();   // the same look-up again with the same approval: refused, said so
            await Assertions.Expect(analyst.Page.Locator("#approval-status")).ToContainTextAsync("used already");
        }
        await analyst.ShotAsync("used");
        await analyst.AssertCleanAsync();
    }
}
