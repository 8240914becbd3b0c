using Microsoft.Playwright;
using SafeCities.Tests.Integration.Plates;
using static SafeCities.Tests.Integration.Intelligence.IntelApi;

namespace SafeCities.Tests.Browser.Walks;

/// <summary>
/// The supervisor's approval in Chromium (ADR 0047), screenshots <c>walk-approval-*.png</c>: an analyst searches without a case number and is told
/// the search waits for approval; a commander approves it in the queue on a desktop, and another on a phone; the analyst's waiting page turns into
/// "Approved" with the button that runs it, without a reload (ADR 0055); a third search, asked from a phone, is denied and the reason appears there
/// by itself; the analyst runs each approved search once (a second run is refused, said on the page, with the city's time). No console error, no answer ≥ 500, no request outside the origin, no sideways scroll.
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
            // In the page's words: the API's advice to send an approvalId is for clients, not for the person at the page.
            await Assertions.Expect(status).ToContainTextAsync("A commander has been asked to approve it");
            await Assertions.Expect(status).Not.ToContainTextAsync("approvalId");
            await Assertions.Expect(analyst.Page.Locator("#vehicles")).ToHaveCountAsync(0);   // not run
            ids.Add((await status.GetAttributeAsync("data-approval-id"))!);
            if (ids.Count == 1)
                await analyst.ShotAsync("waiting");
        }
        // Checking again before a decision: still waiting. The page then stays open, connected, and is not reloaded until the decision arrives.
        await analyst.Page.Locator("#approval-rerun").ClickAsync();
        await Assertions.Expect(analyst.Page.Locator("#approval-status")).ToContainTextAsync("still waits for a commander");
        await Assertions.Expect(analyst.Page.Locator("body")).ToHaveAttributeAsync("data-hub", "live");
        await analyst.Page.EvaluateAsync("() => { window.waitedWithoutReload = true; }");

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

        // The analyst's waiting page (the second search) turned into "Approved" by itself when the commander on the phone approved it: the decision,
        // its reason and the button that runs the search, without a reload.
        var live = analyst.Page.Locator("#approval-status");
        await Assertions.Expect(live).ToHaveAttributeAsync("data-status", "approved");
        await Assertions.Expect(live).ToHaveAttributeAsync("data-approval-id", ids[1]);
        await Assertions.Expect(live.Locator("[data-role='title']")).ToHaveTextAsync("Approved");
        await Assertions.Expect(live).ToContainTextAsync($"Approved by {Users.Commander}");
        await Assertions.Expect(live).ToContainTextAsync("case to be opened by the desk");
        await Assertions.Expect(live).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"Valid once until \d{4}-\d{2}-\d{2} \d{2}:\d{2} E[SD]T"));
        await Assertions.Expect(analyst.Page.Locator("#approval-rerun")).ToHaveTextAsync("Run the approved look-up");
        Assert.True(await analyst.Page.EvaluateAsync<bool>("() => window.waitedWithoutReload === true"), "the page was reloaded");
        await analyst.ShotAsync("approved-live");
        await analyst.Page.Locator("#approval-rerun").ClickAsync();
        await Assertions.Expect(analyst.Page.Locator($"#vehicles tr[data-plate='{plates[1]}']")).ToBeVisibleAsync();

        // A third search, asked from a phone, is denied: the waiting page shows the decision and its reason by itself, and offers nothing to run.
        await using (var phone = await RoleWalk.StartAsync(Browser, app, Users.Analyst, RoleWalk.Phone, "approval-analyst-phone"))
        {
            var plate = "W" + Unique("")[..6].ToUpperInvariant();
            await phone.GotoAsync("/Plates/Search");
            await phone.Page.Locator("#plate").FillAsync(plate);
            await phone.Page.Locator("#offence").SelectOptionAsync("robbery");
            await phone.Page.Locator("#purpose").FillAsync($"caller saw {plate} near the bank, no case opened yet");
            await phone.Page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
            var status = phone.Page.Locator("#approval-status");
            await Assertions.Expect(status).ToContainTextAsync("Waiting for approval");
            var id = (await status.GetAttributeAsync("data-approval-id"))!;
            await Assertions.Expect(phone.Page.Locator("body")).ToHaveAttributeAsync("data-hub", "live");
            await phone.Page.EvaluateAsync("() => { window.waitedWithoutReload = true; }");
            await phone.ShotAsync("waiting");

            await using (var commander = await RoleWalk.StartAsync(Browser, app, Users.Commander, RoleWalk.Desktop, "approval-commander-deny"))
            {
                await commander.GotoAsync("/Approvals");
                var card = commander.Page.Locator($"#request-{id}");
                await card.GetByLabel("Reason").FillAsync("No case yet: open one at the desk and search with its number.");
                await card.GetByRole(AriaRole.Button, new() { Name = "Deny" }).ClickAsync();
                await Assertions.Expect(commander.Page.Locator("#approval-notice")).ToContainTextAsync("Denied");
                await commander.AssertCleanAsync();
            }
            await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "denied");
            await Assertions.Expect(status.Locator("[data-role='title']")).ToHaveTextAsync("Denied");
            await Assertions.Expect(status).ToContainTextAsync($"Denied by {Users.Commander}");
            await Assertions.Expect(status).ToContainTextAsync("open one at the desk and search with its number");
            await Assertions.Expect(phone.Page.Locator("#approval-rerun")).ToHaveCountAsync(0);
            Assert.True(await phone.Page.EvaluateAsync<bool>("() => window.waitedWithoutReload === true"), "the page was reloaded");
            await phone.ShotAsync("denied-live");
            await phone.AssertCleanAsync();
        }

        // The analyst asks the first search again: it is approved now and runs once from its status; run again with the same approval (the first
        // search by reloading, the second as the live button sent it), each is refused as used already, at the city's time, labelled.
        await analyst.GotoAsync($"/Plates/Search?plate={plates[0]}&offence=robbery&purpose={Uri.EscapeDataString($"caller saw {plates[0]} leave the robbery, no case opened yet")}");
        var first = analyst.Page.Locator("#approval-status");
        await Assertions.Expect(first).ToHaveAttributeAsync("data-status", "approved");
        await Assertions.Expect(first).ToHaveAttributeAsync("data-approval-id", ids[0]);
        await analyst.ShotAsync("approved");
        await analyst.Page.Locator("#approval-rerun").ClickAsync();
        await Assertions.Expect(analyst.Page.Locator($"#vehicles tr[data-plate='{plates[0]}']")).ToBeVisibleAsync();
        await analyst.ShotAsync("approved-run-1");
        var usedAt = new System.Text.RegularExpressions.Regex(@"used already \(\d{4}-\d{2}-\d{2} \d{2}:\d{2} E[SD]T\)");
        await analyst.Page.ReloadAsync();
        await Assertions.Expect(analyst.Page.Locator("#approval-status")).ToContainTextAsync(usedAt);
        await analyst.GotoAsync($"/Plates/Search?plate={plates[1]}&offence=robbery&purpose={Uri.EscapeDataString($"caller saw {plates[1]} leave the robbery, no case opened yet")}&approvalId={ids[1]}");
        await Assertions.Expect(analyst.Page.Locator("#approval-status")).ToContainTextAsync(usedAt);
        await Assertions.Expect(analyst.Page.Locator("#approval-status")).Not.ToContainTextAsync("UTC");
        await analyst.ShotAsync("used");
        await analyst.AssertCleanAsync();
    }
}
