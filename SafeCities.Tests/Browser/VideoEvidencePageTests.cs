using System.Security.Cryptography;
using Microsoft.Playwright;
using SafeCities.Tests.Integration.Video;

namespace SafeCities.Tests.Browser;

/// <summary>A gunshot by a real RTSP camera: its bookmark window is recorded automatically and listed (bookmark and covered window); a commander then
/// presses "Save clip": that clip is listed with its SHA-256 and a download link.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class VideoEvidencePageTests(AppFixture app) : BrowserTest
{
    [Fact]
    public async Task Save_clip_on_the_incident_page_lists_the_clip_with_its_sha256_and_the_download_matches_it()
    {
        await using var source = await RtspTestCamera.StartAsync();
        var place = Api.Place();
        var camera = await app.CameraAsync(place, 40, 135, new { type = "ptz", rangeMeters = 250.0, streamUrl = source.Url });
        // Signed in first and on the incident page at once, as a commander who opens it from the board: the clips the camera reaction
        // starts appear while the page is open (it looks again on Video's timeline entries) and follow the recording until it is saved.
        await using var walk = await RoleWalk.StartAsync(Browser, app, Users.Commander, RoleWalk.Desktop, "commander-evidence");
        var incident = await app.PostGunshotAsync(place);
        await walk.GotoAsync($"/Alerts/Incidents/Details/{incident}");
        var page = walk.Page;
        var automatic = page.Locator("#evidence-clips li[data-saved-by='system']");
        await Assertions.Expect(automatic).ToHaveCountAsync(1, new() { Timeout = 15000 });
        await Assertions.Expect(automatic).ToHaveAttributeAsync("data-status", "saved", new() { Timeout = 30000 });
        await Assertions.Expect(automatic.Locator(".clip-covered")).ToContainTextAsync("Covered:");
        await Assertions.Expect(automatic.Locator(".clip-bookmark")).ToContainTextAsync("Bookmark:");
        await walk.ShotAsync("automatic-clip");
        // The cameras panel and its "Save clip" buttons are drawn with the page. Drawn before the reaction (as it was in every run here), it
        // says the cameras reacted since, and its link opens the page again.
        var none = page.Locator("#incident-cameras-none");
        if (await none.CountAsync() > 0)
        {
            await Assertions.Expect(none).ToContainTextAsync("Cameras reacted after this page was opened");
            await none.Locator("a.reacted-reload").ClickAsync();
            await Assertions.Expect(page.Locator("#incident-cameras li[data-camera-id]")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("#evidence[data-wired]")).ToHaveCountAsync(1);   // its script has run: "Save clip" works
        }
        await Assertions.Expect(automatic).ToHaveAttributeAsync("data-status", "saved");
        await page.Locator($"button.save-clip[data-camera-id='{camera}']").ClickAsync();
        await Assertions.Expect(page.Locator("#clip-status")).ToHaveTextAsync("Recording the clip…");
        var item = page.Locator("#evidence-clips li[data-clip-id]:not([data-saved-by='system'])");
        await Assertions.Expect(item).ToHaveCountAsync(1, new() { Timeout = 30000 });
        await Assertions.Expect(page.Locator("#evidence-count")).ToHaveTextAsync("2");
        var sha = await item.GetAttributeAsync("data-sha256");
        await Assertions.Expect(item.Locator("code.sha256")).ToHaveTextAsync(sha!);
        await Assertions.Expect(page.Locator("#clip-status")).ToContainTextAsync($"SHA-256 {sha![..16]}");

        // The download link gives exactly the bytes the hash was taken of.
        var download = await page.APIRequest.GetAsync((await item.Locator("a.clip-download").GetAttributeAsync("href"))!);
        Assert.Equal(200, download.Status);
        Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(await download.BodyAsync())));
        await walk.ShotAsync("clip-saved");
        await walk.AssertCleanAsync();
    }
}
