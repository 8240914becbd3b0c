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
        var incident = await app.PostGunshotAsync(place);
        using (var api = app.AdminClient())
            await VideoTestKit.WaitForVideoEntryAsync(api, incident);

        await using var walk = await RoleWalk.StartAsync(Browser, app, Users.Commander, RoleWalk.Desktop, "commander-evidence");
        await walk.GotoAsync($"/Alerts/Incidents/Details/{incident}");
        var page = walk.Page;
        // The gunshot bookmarked the camera, so its window is being recorded automatically; the list follows it until it is saved.
        var automatic = page.Locator("#evidence-clips li[data-saved-by='system']");
        await Assertions.Expect(automatic).ToHaveCountAsync(1);
        await Assertions.Expect(automatic).ToHaveAttributeAsync("data-status", "saved", new() { Timeout = 30000 });
        await Assertions.Expect(automatic.Locator(".clip-covered")).ToContainTextAsync("Covered:");
        await Assertions.Expect(automatic.Locator(".clip-bookmark")).ToContainTextAsync("Bookmark:");
        await walk.ShotAsync("automatic-clip");
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
