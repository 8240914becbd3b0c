using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SafeCities.Modules.Shared.Audit;

namespace SafeCities.Tests.Browser.Walks;

/// <summary>
/// The public reads the audit log's anchors on the transparency page (issue 14): the public key, the latest signed days with their last entry
/// and hash, the link to the JSON a verifier takes; the digest of each day's list of agencies that read data and that day's download (ADR 0055);
/// no officer's name. Desktop and phone; screenshots <c>walk-anchors-*</c>.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class AuditAnchorsWalkTests(AppFixture app) : BrowserTest
{
    [Fact]
    public async Task The_public_sees_the_key_and_the_signed_days_and_can_fetch_them_on_desktop_and_phone()
    {
        var officer = $"walk-officer-{Guid.NewGuid():N}@example.org";
        await app.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<AuditDbContext>().AuditAsync(officer, "Plates", "search", "case 2026-WALK", new { plate = "WK1" }, DateTimeOffset.UtcNow, default);
            return await sp.GetRequiredService<AnchorAuditLogJob>().AnchorThroughAsync(DateOnly.FromDateTime(DateTime.UtcNow), default);
        });
        var key = await app.InScopeAsync(sp => Task.FromResult(sp.GetRequiredService<AuditAnchorKey>().PublicKey!));
        var day = DateTime.UtcNow.ToString("yyyy-MM-dd");
        var readsDigest = await app.InScopeAsync(async sp =>
            (await sp.GetRequiredService<AuditDbContext>().Anchors.SingleAsync(a => a.Day == DateOnly.FromDateTime(DateTime.UtcNow))).AgencyReadsSha256!);

        foreach (var (viewport, name) in new[] { (RoleWalk.Desktop, "anchors"), (RoleWalk.Phone, "anchors-phone") })
        {
            await using var walk = await RoleWalk.StartAsync(Browser, app, null, viewport, name);
            await walk.GotoAsync("/Transparency");
            var section = walk.Page.Locator("#audit-anchors");
            await section.ScrollIntoViewIfNeededAsync();
            await Assertions.Expect(section.Locator("#audit-public-key")).ToHaveTextAsync(key);
            var today = section.Locator($"#audit-anchor-table tr[data-day='{DateTime.UtcNow:yyyy-MM-dd}']");
            await Assertions.Expect(today).ToBeVisibleAsync();
            await Assertions.Expect(today.Locator("td").Nth(2).Locator("code")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9a-f]{64}$"));
            // The same anchor signs the day's list of agencies that read data (ADR 0055): its digest, and the day's JSON beside it.
            await Assertions.Expect(today.Locator("[data-role='agency-reads'] code")).ToHaveTextAsync(readsDigest);
            await Assertions.Expect(today.Locator("[data-role='agency-reads'] a")).ToHaveAttributeAsync("href", $"/transparency/agency-reads/{day}");
            await Assertions.Expect(walk.Page.Locator("body")).Not.ToContainTextAsync(officer);
            await walk.ShotAsync("transparency-anchors");

            // The day's signed list: the digest, the list, and a download anyone can check with scripts/audit-verify --agency-reads.
            await walk.GotoAsync($"/Transparency?day={day}#agency-reads-day");
            var summary = walk.Page.Locator("#agency-reads-day-summary");
            await summary.ScrollIntoViewIfNeededAsync();
            await Assertions.Expect(summary).ToHaveAttributeAsync("data-day", day);
            await Assertions.Expect(walk.Page.Locator("#agency-reads-day-signed")).ToHaveTextAsync(readsDigest);
            await walk.ShotAsync("agency-reads-day");
            var download = await walk.Page.RunAndWaitForDownloadAsync(() => walk.Page.Locator("#agency-reads-day-json").ClickAsync());
            Assert.Equal($"agency-reads-{day}.json", download.SuggestedFilename);
            var file = JsonNode.Parse(await File.ReadAllTextAsync((await download.PathAsync())!))!;
            Assert.Equal(day, file["day"]!.GetValue<string>());
            Assert.Equal(readsDigest, file["anchor"]!["sha256"]!.GetValue<string>());

            await walk.GotoAsync("/Transparency");
            await walk.Page.Locator("#audit-anchors-json").ClickAsync();
            await walk.Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/transparency/audit-anchors");
            var json = JsonNode.Parse(await walk.Page.Locator("pre").First.InnerTextAsync())!;
            Assert.Equal(key, json["publicKey"]!.GetValue<string>());
            Assert.Equal("Ed25519", json["algorithm"]!.GetValue<string>());
            Assert.DoesNotContain(officer, json.ToJsonString());
            await walk.AssertCleanAsync();
        }
    }
}
