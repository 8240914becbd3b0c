using System.Net;
using SafeCities.Modules.Shared.Security;
using SafeCities.Modules.Video.Streaming;

namespace SafeCities.Tests.Integration.Video;

/// <summary>
/// The live relay with real parts: GStreamer's RTSP server as the camera, Debian's ffmpeg turning it into HLS, served by the app behind
/// the command-staff policy, and stopped when nobody has asked for a while (Video:Live:IdleStopSeconds = 4 in the tests).
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class LiveStreamTests(AppFixture app)
{
    private LiveStreamRelay Relay => app.Services.GetRequiredService<LiveStreamRelay>();

    private static string Live(Guid camera, string file = "index.m3u8") => $"api/v1/cameras/{camera}/live/{file}";

    [Fact]
    public async Task A_watched_camera_is_relayed_as_hls_and_its_ffmpeg_stops_when_nobody_asks_any_more()
    {
        await using var source = await RtspTestCamera.StartAsync();
        var camera = await app.CameraAsync(Api.Place(), 30, 90, new { type = "fixed", headingDegrees = 270.0, streamUrl = source.Url });
        using var client = app.AdminClient();

        var playlist = await client.GetAsync(Live(camera));
        Assert.Equal(HttpStatusCode.OK, playlist.StatusCode);
        Assert.Equal("application/vnd.apple.mpegurl", playlist.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", playlist.Headers.CacheControl?.ToString());
        var lines = (await playlist.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.TrimEntries);
        Assert.Equal("#EXTM3U", lines[0]);
        var segment = lines.Last(l => l.EndsWith(".ts", StringComparison.Ordinal));
        Assert.Matches(@"^seg[0-9]+\.ts$", segment);

        var bytes = await client.GetByteArrayAsync(Live(camera, segment));
        Assert.True(bytes.Length > 1000, $"a segment of {bytes.Length} bytes");
        Assert.Equal(0x47, bytes[0]);   // MPEG-TS sync byte
        Assert.Equal(0x47, bytes[188]);

        // The thumbnail: one real frame as a JPEG.
        var snapshot = await client.GetAsync($"api/v1/cameras/{camera}/snapshot");
        Assert.Equal("image/jpeg", snapshot.Content.Headers.ContentType?.MediaType);
        var jpeg = await snapshot.Content.ReadAsByteArrayAsync();
        Assert.True(jpeg.Length > 1000 && jpeg[0] == 0xFF && jpeg[1] == 0xD8, $"not a JPEG frame ({jpeg.Length} bytes)");

        var pid = Relay.ProcessId(camera) ?? throw new InvalidOperationException("no ffmpeg runs for the watched camera");
        Assert.Equal("ffmpeg", File.ReadAllText($"/proc/{pid}/comm").Trim());

        // Nobody asks after one last playlist request (the snapshot does not count as watching, and on a loaded machine it can take
        // seconds): within the idle time plus the one-second sweep, the relay stops and the process is gone.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Live(camera))).StatusCode);
        var stoppedAfter = System.Diagnostics.Stopwatch.StartNew();
        while (Relay.ProcessId(camera) is not null && stoppedAfter.Elapsed < TimeSpan.FromSeconds(15))
            await Task.Delay(200);
        Assert.Null(Relay.ProcessId(camera));
        Assert.InRange(stoppedAfter.Elapsed.TotalSeconds, 2, 8);
        Assert.False(Directory.Exists($"/proc/{pid}"), $"ffmpeg {pid} still runs after the relay stopped");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(Live(camera, segment))).StatusCode);

        // Asking again starts it again.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Live(camera))).StatusCode);
        Assert.NotNull(Relay.ProcessId(camera));
    }

    [Fact]
    public async Task Only_staff_may_watch_nobody_else_starts_ffmpeg_and_only_the_generated_file_names_are_served()
    {
        var camera = await app.CameraAsync(Api.Place(), 30, 90, new { type = "fixed", streamUrl = "rtsp://127.0.0.1:9/never" });
        var httpsCamera = await app.CameraAsync(Api.Place(), 30, 90, new { type = "fixed", streamUrl = "https://vms.test/cam.m3u8" });

        using (var anonymous = app.Client())
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(Live(camera))).StatusCode);
        foreach (var role in (string[])[Roles.Oversight, Roles.Judge])
        {
            using var outsider = app.Client(await app.CreateClientKeyAsync(role));
            Assert.Equal(HttpStatusCode.Forbidden, (await outsider.GetAsync(Live(camera))).StatusCode);
        }
        Assert.Null(Relay.ProcessId(camera));
        using (var outsider = app.Client(await app.CreateClientKeyAsync(Roles.Oversight)))
            Assert.Equal(HttpStatusCode.Forbidden, (await outsider.GetAsync($"api/v1/cameras/{camera}/snapshot")).StatusCode);

        using var officer = app.Client(await app.CreateClientKeyAsync(Roles.Officer));
        // Only the relay's own names, and only for a camera whose relay runs: nothing else of the disk is reachable.
        foreach (var file in (string[])["..%2F..%2F..%2Fetc%2Fpasswd", "..%5C..%5Cetc%5Cpasswd", "index.m3u8.tmp", "seg1.ts.tmp", "seg-1.ts",
                     "SEG1.TS", "seg1.mp4", "%2Fetc%2Fpasswd", "seg1.ts"])
        {
            var response = await officer.GetAsync(Live(camera, file));
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{file}: {(int)response.StatusCode}");
        }
        Assert.Equal(HttpStatusCode.NotFound, (await officer.GetAsync(Live(httpsCamera))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await officer.GetAsync(Live(Guid.NewGuid()))).StatusCode);
        Assert.Null(Relay.ProcessId(httpsCamera));
        // A camera that does not answer gets a "no picture" image, not an error; a camera without RTSP gets no thumbnail.
        var none = await officer.GetAsync($"api/v1/cameras/{camera}/snapshot");
        Assert.Equal(HttpStatusCode.OK, none.StatusCode);
        Assert.Equal("image/svg+xml", none.Content.Headers.ContentType?.MediaType);
        Assert.Contains("No picture", await none.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await officer.GetAsync($"api/v1/cameras/{httpsCamera}/snapshot")).StatusCode);
    }

    [Fact]
    public void Only_the_playlist_and_numbered_segments_match_the_served_names()
    {
        Assert.Matches(LiveStreamRelay.FileName(), "index.m3u8");
        Assert.Matches(LiveStreamRelay.FileName(), "seg12.ts");
        foreach (var bad in (string[])["../index.m3u8", "seg1.ts/", "seg1.ts\n", "x/seg1.ts", "seg.ts", "index.m3u8.tmp", ""])
            Assert.DoesNotMatch(LiveStreamRelay.FileName(), bad);
    }
}
