using Microsoft.Playwright;
using SafeCities.Tests.Integration.Video;

namespace SafeCities.Tests.Browser;

/// <summary>The Video pages in Debian's Chromium: cones and reach drawn on the map, stream links, a phone-sized incident view.</summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class VideoPagesTests(AppFixture app) : BrowserTest
{
    private async Task<(IPage Page, List<string> Errors)> SignInAsync(string email, ViewportSize? viewport = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), ViewportSize = viewport });
        var page = await context.NewPageAsync();
        var errors = ConsoleErrors(page);
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync("/Account/Login");
        await SignInAsync(page, email);
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        return (page, errors);
    }

    private static Task<int> ShapesAsync(IPage page, string selector) => page.EvaluateAsync<int>($"() => document.querySelectorAll('{selector}').length");

    [Fact]
    public async Task The_admin_map_draws_a_cone_per_fixed_camera_and_the_reach_of_each_ptz()
    {
        var place = Api.Place();
        var fixedCam = await app.CameraAsync(place, 0.5, 0, new { type = "fixed", headingDegrees = 45.0, fieldOfViewDegrees = 70.0 });
        await app.CameraAsync(place, 60, 90, new { type = "ptz", rangeMeters = 200.0 });
        await app.CameraAsync(place, 90, 180, new { type = "ptz", rangeMeters = 200.0, panMinDegrees = 270.0, panMaxDegrees = 90.0 });
        var (page, errors) = await SignInAsync(Users.Admin);

        await page.GotoAsync("/Video/Admin/Cameras");
        await Assertions.Expect(page.Locator($"#cameras tr[data-camera-id='{fixedCam}']")).ToBeVisibleAsync();
        // Every camera is drawn: a marker each, plus a reach (circle or pan sector) per PTZ and a cone per fixed camera whose heading is known.
        var cameras = await page.Locator("#cameras tbody tr").CountAsync();
        var views = await page.EvaluateAsync<int>("() => JSON.parse(document.getElementById('camera-data').textContent)"
            + ".filter(c => c.type === 'ptz' || (c.headingDegrees != null && c.fieldOfViewDegrees)).length");
        Assert.True(views >= 3 && cameras >= 3);
        Assert.Equal(cameras + views, await ShapesAsync(page, "#map path.leaflet-interactive"));
        // Zoom to ours: the cone, the full circle and the half-circle sector are there.
        await page.EvaluateAsync($"() => window.safecities.cameraMap.setView([{place.Lat}, {place.Lon}], 17)");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsDirectory, "video-admin-cameras.png"), FullPage = true });
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public async Task A_responder_sees_the_incident_cameras_with_bearing_lines_and_stream_links_on_a_phone()
    {
        var place = Api.Place();
        await app.CameraAsync(place, 45, 135, new { type = "ptz", rangeMeters = 250.0, streamUrl = "rtsp://vms.test/phone-ptz" });
        await app.CameraAsync(place, 70, 0, new { type = "fixed", headingDegrees = 180.0, fieldOfViewDegrees = 60.0, streamUrl = "https://vms.test/fixed.m3u8" });
        var incidentId = await app.PostGunshotAsync(place);
        using (var api = app.AdminClient())
            await VideoTestKit.WaitForVideoEntryAsync(api, incidentId);
        var (page, errors) = await SignInAsync(Users.Officer, new ViewportSize { Width = 390, Height = 844 });

        await page.GotoAsync($"/Video/Incidents/Cameras/{incidentId}");

        var links = page.Locator("#incident-cameras a.stream-link");
        await Assertions.Expect(links).ToHaveCountAsync(2);
        await Assertions.Expect(links.First).ToHaveAttributeAsync("href", "rtsp://vms.test/phone-ptz");
        await Assertions.Expect(page.Locator("#incident-cameras li[data-status='ok']")).ToHaveCountAsync(2);
        // Per camera: its reach or cone, its bearing line and its marker; plus the incident marker.
        Assert.Equal(7, await ShapesAsync(page, "#incident-cameras-map path.leaflet-interactive"));
        var box = await links.First.BoundingBoxAsync();
        Assert.True(box!.Height >= 30, $"the stream link is too small to tap ({box.Height} px)");
        Assert.Empty(await PageFit.ProblemsAsync(page));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ResultsDirectory, "video-incident-cameras-phone.png"), FullPage = true });
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public async Task The_incident_cameras_say_how_many_of_them_are_not_working()
    {
        var place = Api.Place();
        var broken = await app.CameraAsync(place, 40, 90, new { type = "ptz", rangeMeters = 250.0 });
        await app.CameraAsync(place, 60, 270, new { type = "ptz", rangeMeters = 250.0 });
        app.Driver().FailFor(broken);
        try
        {
            var incidentId = await app.PostGunshotAsync(place);
            using (var api = app.AdminClient())
                await VideoTestKit.WaitForVideoEntryAsync(api, incidentId);
            var (page, errors) = await SignInAsync(Users.Commander);
            await page.GotoAsync($"/Video/Incidents/Cameras/{incidentId}");
            await Assertions.Expect(page.Locator($"#incident-cameras li[data-camera-id='{broken}']")).ToHaveAttributeAsync("data-status", "failed");
            await Assertions.Expect(page.Locator("#incident-cameras-unhealthy")).ToHaveTextAsync("1 of 2 cameras within range is not working (device health).");
            Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
        }
        finally
        {
            app.Driver().Recover(broken);
        }
    }
}
