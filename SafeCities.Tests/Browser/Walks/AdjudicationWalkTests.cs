using Microsoft.Extensions.Caching.Memory;
using Microsoft.Playwright;
using SafeCities.Tests.Integration.Plates;
using SafeCities.Tests.Integration.Video;

namespace SafeCities.Tests.Browser.Walks;

/// <summary>
/// Hit adjudication and close-with-outcome (issue 14) as the commander on a desktop and a phone: a misread-tolerant hit's incident shows
/// "Unconfirmed — verify plate visually" with both vehicles; rejecting it as a plate misread closes it as rejected; a gunshot is closed from the
/// outcome picker, its location corrected after the fact and the change listed; the precision and hit statistics pages show it.
/// Screenshots: <c>walk-adjudication-*.png</c>.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class AdjudicationWalkTests(AppFixture app) : BrowserTest
{
    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task A_commander_rejects_a_misread_hit_and_closes_a_gunshot_with_an_outcome_then_corrects_it(string device)
    {
        var (lat, lon) = Api.Place();
        var (_, key) = await app.RegisterReaderAsync(lat, lon);
        var (letters, digits) = (HotlistKit.Plate(3, 0), HotlistKit.Plate(0, 3));
        var list = await app.CreateHotlistAsync(level: "medium");
        await app.AddEntryAsync(list, letters + "0" + digits, reason: "Stolen vehicle");
        var read = letters + "O" + digits;
        await app.SendReadsAsync(key, PlatesKit.Read(Guid.NewGuid().ToString("N"), read, DateTimeOffset.UtcNow.AddSeconds(-2)));
        Guid hitId = default;
        for (var i = 0; i < 50 && hitId == default; i++)
        {
            if (await app.HitsAsync(read) is [var hit, ..] && await app.CountAsync($"SELECT count(*) FROM alerts.incidents WHERE id = '{hit!["id"]}'") == 1)
                hitId = hit["id"]!.GetValue<Guid>();
            else
                await Task.Delay(100);
        }
        Assert.NotEqual(default, hitId);

        await using var walk = await RoleWalk.StartAsync(Browser, app, Users.Commander, device == "phone" ? RoleWalk.Phone : RoleWalk.Desktop, $"adjudication-{device}");
        var page = walk.Page;
        await walk.GotoAsync($"/Alerts/Incidents/Details/{hitId}");
        var card = page.Locator("#hit-adjudication .hit-decision");
        await Assertions.Expect(card.Locator(".hit-badge")).ToHaveTextAsync("Unconfirmed — verify plate visually");
        await Assertions.Expect(card.Locator(".hit-match")).ToHaveTextAsync("misread");
        await Assertions.Expect(card.Locator(".hit-read-vehicle")).ToHaveTextAsync("silver Honda");
        await walk.ShotAsync("hit-unconfirmed");
        await card.Locator("select[name=reason]").SelectOptionAsync("rejected:plate-misread");
        await card.GetByRole(AriaRole.Button, new() { Name = "Record decision" }).ClickAsync();
        await Assertions.Expect(page.Locator("#incident-status")).ToHaveTextAsync("closed", new() { Timeout = 10000 });
        await Assertions.Expect(page.Locator("#incident-outcome")).ToContainTextAsync("Rejected (misread or mismatch)");
        await Assertions.Expect(page.Locator("#hit-adjudication .hit-badge")).ToHaveTextAsync("rejected");
        await walk.ShotAsync("hit-rejected");

        // A gunshot closed from the outcome picker, then its location corrected after the fact.
        var gunshot = await app.PostGunshotAsync(Api.Place());
        await walk.GotoAsync($"/Alerts/Incidents/Details/{gunshot}");
        await page.Locator("#close-open").ClickAsync();
        await Assertions.Expect(page.Locator("#close-outcome option")).ToHaveCountAsync(6); // the prompt and the gunshot's five outcomes
        await page.Locator("#close-outcome").SelectOptionAsync("gunfire-found");
        await page.Locator("#close-notes").FillAsync("Casings found at the corner.");
        await walk.ShotAsync("close-dialog");
        await page.Locator("#close-submit").ClickAsync();
        await Assertions.Expect(page.Locator("#incident-outcome")).ToContainTextAsync("Evidence of gunfire found");
        await page.Locator("#correct-incident summary").ClickAsync();
        var lat2 = await page.Locator("#correct-lat").InputValueAsync();
        await page.Locator("#correct-lat").FillAsync((double.Parse(lat2, System.Globalization.CultureInfo.InvariantCulture) + 0.001).ToString("0.000000", System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator("#correct-reason").FillAsync("Casings were a block north.");
        await page.Locator("#correct-submit").ClickAsync();
        await Assertions.Expect(page.Locator("#incident-corrections li[data-field='location']")).ToContainTextAsync("after the fact");
        await Assertions.Expect(page.Locator("#status-history li")).ToHaveCountAsync(1);
        await walk.ShotAsync("corrected");

        await walk.GotoAsync("/incidents/precision");
        await Assertions.Expect(page.Locator("#alert-precision tbody tr").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator($"#corrected-after-close li[data-incident-id='{gunshot}']")).ToHaveCountAsync(1);
        await walk.ShotAsync("precision");
        await walk.AssertCleanAsync();

        await using var admin = await RoleWalk.StartAsync(Browser, app, Users.Admin, device == "phone" ? RoleWalk.Phone : RoleWalk.Desktop, $"adjudication-admin-{device}");
        await admin.GotoAsync("/Plates/Admin/HitStatistics");
        await Assertions.Expect(admin.Page.Locator("#hit-statistics tbody tr[data-match='misread']").First).ToBeVisibleAsync();
        await admin.ShotAsync("hit-statistics");
        // The public page's figures are cached for 10 minutes: another test's visit must not hide this walk's outcome.
        app.Services.GetRequiredService<IMemoryCache>().Remove(SafeCities.Web.Pages.TransparencyModel.OutcomesCacheKey);
        await admin.GotoAsync("/Transparency");
        await Assertions.Expect(admin.Page.Locator("#alert-precision")).ToBeVisibleAsync();
        await admin.ShotAsync("transparency");
        await admin.AssertCleanAsync();
    }
}
