using SafeCities.Tests.Integration.Intelligence;
using SafeCities.Tests.Integration.Plates;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace SafeCities.Tests.Integration.Video;

/// <summary>
/// A recorded clip as evidence, end to end with a real RTSP camera (GStreamer's RTSP server): the incident's tasked camera is recorded by
/// ffmpeg into the evidence directory; the stored SHA-256 equals the one recomputed from the downloaded bytes, ffprobe finds a video stream
/// of the asked length, and saving and downloading are audited and on the timeline. Who may not save, and what is out of range, is refused.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class EvidenceClipTests(AppFixture app)
{
    [Fact]
    public async Task A_saved_clip_downloads_with_the_stored_sha256_and_ffprobe_finds_video_of_the_asked_length()
    {
        await using var source = await RtspTestCamera.StartAsync();
        var place = Api.Place();
        var camera = await app.CameraAsync(place, 40, 135, new { type = "ptz", rangeMeters = 250.0, streamUrl = source.Url });
        var other = await app.CameraAsync(Api.Place(), 40, 135, new { type = "ptz", rangeMeters = 250.0, streamUrl = source.Url });
        var incident = await app.PostGunshotAsync(place);
        using var admin = app.AdminClient();
        await VideoTestKit.WaitForVideoEntryAsync(admin, incident);
        var url = $"api/v1/video/incidents/{incident}/cameras/{camera}/clips";

        // Refused first: an analyst (sees incidents, does not respond), absurd lengths, a camera with no part in the incident.
        using var analyst = await app.SignedInAsync(await app.CreateUserAsync(Roles.Analyst), pageToken: true);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.PostAsJsonAsync(url, new { seconds = 3 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync(url, new { seconds = 0 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync(url, new { seconds = 100_000 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync($"api/v1/video/incidents/{incident}/cameras/{other}/clips", new { seconds = 3 })).StatusCode);
        Assert.Equal(0, await app.CountAsync($"SELECT count(*) FROM video.evidence_clips WHERE incident_id = '{incident}' AND saved_by <> 'system'"));

        using var officer = await app.SignedInAsync(await app.CreateUserAsync(Roles.Officer), pageToken: true);
        var watch = Stopwatch.StartNew();
        var saved = await officer.PostAsJsonAsync(url, new { seconds = 5 });
        Assert.True(saved.StatusCode == HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        var clip = await saved.ReadJsonAsync();
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(4), $"answered after {watch.Elapsed.TotalSeconds:0.0} s: nothing was recorded");
        var sha = clip["sha256"]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{64}$", sha);
        Assert.InRange(clip["durationSeconds"]!.GetValue<double>(), 3, 7);

        var list = (await (await officer.GetAsync($"api/v1/video/incidents/{incident}/clips")).ReadJsonAsync()).AsArray();
        // The automatic clip of the bookmark window (AutomaticClipTests) is listed too; this one is the officer's.
        var listed = Assert.Single(list, c => c!["savedBy"]!.GetValue<string>() != "system")!;
        Assert.Equal(sha, listed["sha256"]!.GetValue<string>());
        var download = await officer.GetAsync(listed["downloadUrl"]!.GetValue<string>().TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("video/mp4", download.Content.Headers.ContentType!.MediaType);
        var bytes = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal(clip["sizeBytes"]!.GetValue<long>(), bytes.Length);
        Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(bytes)));

        var file = Path.Combine(Path.GetTempPath(), $"clip-{Guid.NewGuid():N}.mp4");
        await File.WriteAllBytesAsync(file, bytes);
        try
        {
            var (codec, duration) = await ProbeAsync(file);
            Assert.Equal("video", codec);
            Assert.InRange(duration, 3, 7);
        }
        finally
        {
            File.Delete(file);
        }

        // By the clip's id as well: two clips of the test camera's first seconds can be the same bytes (another test's, in the same run).
        var id = clip["id"]!.GetValue<Guid>();
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'clip.saved' AND details->>'sha256' = '{sha}' AND details->>'id' = '{id}'"));
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'clip.downloaded' AND details->>'sha256' = '{sha}' AND details->>'id' = '{id}'"));
        var entry = await app.WaitForTimelineAsync(incident, "ClipSaved", module: "Video");
        Assert.Contains(sha[..16], entry["text"]!.GetValue<string>());

        // The incident page lists it with its hash and download link.
        using var commander = await app.SignedInAsync(Users.Commander);
        var page = await commander.GetStringAsync($"Alerts/Incidents/Details/{incident}");
        Assert.Contains($"<code class=\"sha256\">{sha}</code>", page);
        Assert.Contains($"href=\"/api/v1/video/clips/{clip["id"]!.GetValue<Guid>()}\"", page);
        Assert.Equal(HttpStatusCode.NotFound, (await officer.GetAsync($"api/v1/video/clips/{Guid.NewGuid()}")).StatusCode);
    }

    /// <summary>The first stream's codec type and the container's duration, by Debian's ffprobe.</summary>
    private static async Task<(string Codec, double Duration)> ProbeAsync(string file)
    {
        var start = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-v", "error", "-show_entries", "stream=codec_type:format=duration", "-of", "default=noprint_wrappers=1", file])
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var values = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)).Where(p => p.Length == 2)
            .GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.First()[1].Trim());
        return (values.GetValueOrDefault("codec_type", ""), double.Parse(values.GetValueOrDefault("duration", "0"), CultureInfo.InvariantCulture));
    }
}
