using Mediator;
using SafeCities.Modules.Alerts.Contracts;
using System.Security.Cryptography;
using Microsoft.Playwright;
using SafeCities.Tests.Integration.Video;

namespace SafeCities.Tests.Browser;

/// <summary>A gunshot by a real RTSP camera: its bookmark window is recorded automatically and listed (bookmark and covered window); the
/// camera appears in the open page's cameras section; a commander then presses its "Save clip": that clip is listed with its SHA-256 and a
/// download link; a live video watched there goes on playing when the section is drawn again.</summary>
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
        // The cameras section follows Video's report: the camera is in it with "Save clip" and on the map, without opening the page again.
        var cameraItem = page.Locator($"#incident-cameras li[data-camera-id='{camera}']");
        await Assertions.Expect(cameraItem.Locator("button.save-clip")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#incident-cameras-none")).ToHaveCountAsync(0);
        Assert.True(await page.Locator("#map path.leaflet-interactive").CountAsync() > 1, "the camera is not drawn on the map");
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

        // A live video someone watches goes on playing when the cameras section is drawn again for a later Video report.
        await cameraItem.Locator("button.live-watch").ClickAsync();
        var video = cameraItem.Locator("video.live-video");
        await page.WaitForFunctionAsync("v => v.currentTime > 1", await video.ElementHandleAsync(),
            new PageWaitForFunctionOptions { Timeout = 30_000, PollingInterval = 200 });
        await page.EvaluateAsync("document.querySelector('section.incident-cameras').dataset.before = 'true'");
        var report = new IncidentReactionReportedEvent(Guid.CreateVersion7(), incident, "Video", "CamerasTasked", DateTimeOffset.UtcNow,
            "1 PTZ camera turned again (test report)");
        await app.InScopeAsync(async sp => { await sp.GetRequiredService<IPublisher>().Publish(report); return true; });
        await Assertions.Expect(page.Locator("#timeline")).ToContainTextAsync("turned again (test report)");
        await Assertions.Expect(page.Locator("section.incident-cameras[data-before]")).ToHaveCountAsync(0);   // drawn again
        var first = await video.EvaluateAsync<double>("v => v.currentTime");
        await page.WaitForTimeoutAsync(2000);
        Assert.True(await video.EvaluateAsync<double>("v => v.currentTime") - first > 1, "the video stopped when the section was drawn again");
        await Assertions.Expect(cameraItem.Locator(".live-status")).ToHaveTextAsync("Live");
        await cameraItem.Locator("button.live-watch").ClickAsync();
        await Assertions.Expect(video).ToBeHiddenAsync();
        await walk.AssertCleanAsync();
    }
}
