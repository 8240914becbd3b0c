using Microsoft.Playwright;
using SafeCities.Tests.Integration.Video;

namespace SafeCities.Tests.Browser;

/// <summary>
/// Live video end to end: GStreamer's RTSP server as the camera, the app's ffmpeg relay, hls.js in Debian's Chromium (H.264 through Media
/// Source Extensions). The video element's clock must run, on a commander's desktop and an officer's phone, under the strict CSP.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class LiveVideoTests(AppFixture app) : BrowserTest
{
    private async Task<(IPage Page, List<string> Errors)> SignInAsync(string email, ViewportSize viewport)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), ViewportSize = viewport });
        var page = await context.NewPageAsync();
        var errors = ConsoleErrors(page);
        page.PageError += (_, e) => errors.Add(e);
        page.Response += (_, r) =>
        {
            if (r.Status >= 500)
                lock (errors)
                    errors.Add($"{r.Status} {r.Url}");
        };
        await page.GotoAsync("/Account/Login");
        await SignInAsync(page, email);
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        return (page, errors);
    }

    /// <summary>Presses the camera's "Watch live" and waits until its video has played two seconds, then for two more.</summary>
    private static async Task WatchAsync(IPage page, Guid camera, string screenshot)
    {
        var item = page.Locator($"#incident-cameras li[data-camera-id='{camera}']");
        // The thumbnail is a real frame of the camera.
        await page.WaitForFunctionAsync("i => i.complete && i.naturalWidth === 320", await item.Locator("img.camera-snapshot").ElementHandleAsync(),
            new PageWaitForFunctionOptions { Timeout = 15_000 });
        await item.Locator("button.live-watch").ClickAsync();
        var video = item.Locator("video.live-video");
        await Assertions.Expect(video).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("v => v.currentTime > 2", await video.ElementHandleAsync(),
            new PageWaitForFunctionOptions { Timeout = 30_000, PollingInterval = 200 });
        var first = await video.EvaluateAsync<double>("v => v.currentTime");
        await page.WaitForTimeoutAsync(2000);
        var second = await video.EvaluateAsync<double>("v => v.currentTime");
        Assert.True(second - first > 1, $"the video stood still: {first:0.00} s, then {second:0.00} s");
        Assert.Equal(320, await video.EvaluateAsync<int>("v => v.videoWidth"));
        await Assertions.Expect(item.Locator(".live-status")).ToHaveTextAsync("Live");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsDirectory, screenshot), FullPage = true });
        // Closing the player stops its requests (the relay then stops on its own).
        await item.Locator("button.live-watch").ClickAsync();
        await Assertions.Expect(video).ToBeHiddenAsync();
    }

    [Fact]
    public async Task A_commander_and_an_officer_on_a_phone_watch_a_tasked_camera_live()
    {
        await using var source = await RtspTestCamera.StartAsync();
        var place = Api.Place();
        var camera = await app.CameraAsync(place, 40, 135, new { type = "ptz", rangeMeters = 250.0, streamUrl = source.Url });
        var incidentId = await app.PostGunshotAsync(place);
        using (var api = app.AdminClient())
            await VideoTestKit.WaitForVideoEntryAsync(api, incidentId);

        var (desk, deskErrors) = await SignInAsync(Users.Commander, new ViewportSize { Width = 1440, Height = 900 });
        Assert.True(await desk.EvaluateAsync<bool>("() => MediaSource.isTypeSupported('video/mp4; codecs=\"avc1.42E01E\"')"),
            "this Chromium plays no H.264 through Media Source Extensions");
        await desk.GotoAsync($"/Alerts/Incidents/Details/{incidentId}");
        await WatchAsync(desk, camera, "video-live-incident-desktop.png");
        Assert.True(deskErrors.Count == 0, string.Join(Environment.NewLine, deskErrors));

        var (phone, phoneErrors) = await SignInAsync(Users.Officer, new ViewportSize { Width = 390, Height = 844 });
        await phone.GotoAsync($"/Video/Incidents/Cameras/{incidentId}");
        await WatchAsync(phone, camera, "video-live-cameras-phone.png");
        Assert.Empty(await PageFit.ProblemsAsync(phone));
        Assert.True(phoneErrors.Count == 0, string.Join(Environment.NewLine, phoneErrors));
    }
}
