using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using SafeCities.Modules.Video.Contracts;
using SafeCities.Modules.Video.Domain;
using SafeCities.Modules.Video.Evidence;
using SafeCities.Tests.Integration.Plates;

namespace SafeCities.Tests.Integration.Video;

/// <summary>
/// The bookmark window recorded automatically (ADR 0024), end to end with a real RTSP camera (GStreamer's RTSP server): a gunshot near a
/// camera bookmarks it, a clip row appears at once (by system, recording), and is saved with a file whose bytes hash to the stored SHA-256
/// and a covered window that lies inside the bookmark window (the live stream cannot give the pre-roll: it starts after the incident).
/// A camera whose stream cannot be read gets a failed row with the reason; a recorder exports the whole window, pre-roll included.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AutomaticClipTests(AppFixture app)
{
    [Fact]
    public async Task A_gunshot_near_a_camera_records_its_bookmark_window_as_evidence_hashed_and_covered_within_the_bookmark()
    {
        await using var source = await RtspTestCamera.StartAsync();
        var place = Api.Place();
        var camera = await app.CameraAsync(place, 40, 135, new { type = "ptz", rangeMeters = 250.0, streamUrl = source.Url });
        var incident = await app.PostGunshotAsync(place);
        using var admin = app.AdminClient();
        await VideoTestKit.WaitForVideoEntryAsync(admin, incident);

        // Written with the reaction: there before anyone asks, by system, recording.
        var first = Assert.Single((await (await admin.GetAsync($"api/v1/video/incidents/{incident}/clips")).ReadJsonAsync()).AsArray())!;
        Assert.Equal("system", first["savedBy"]!.GetValue<string>());
        Assert.Equal(camera, first["cameraId"]!.GetValue<Guid>());
        Assert.Contains(first["status"]!.GetValue<string>(), new[] { "recording", "saved" });

        var clip = await WaitForClipAsync(admin, incident, c => c["status"]!.GetValue<string>() != "recording");
        Assert.True(clip["status"]!.GetValue<string>() == "saved", clip.ToJsonString());
        Assert.Equal("live-stream", clip["source"]!.GetValue<string>());
        Assert.True(clip["automatic"]!.GetValue<bool>());
        var sha = clip["sha256"]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{64}$", sha);

        // The covered window: inside the bookmark window, as long as the file (MaxAutoClipSeconds = 4 in the tests), after the incident.
        var (bookmarkFrom, bookmarkTo) = (clip["bookmarkFrom"]!.GetValue<DateTimeOffset>(), clip["bookmarkTo"]!.GetValue<DateTimeOffset>());
        var (coveredFrom, coveredTo) = (clip["coveredFrom"]!.GetValue<DateTimeOffset>(), clip["coveredTo"]!.GetValue<DateTimeOffset>());
        var duration = clip["durationSeconds"]!.GetValue<double>();
        Assert.InRange(duration, 2.5, 4.5);
        Assert.True(bookmarkFrom <= coveredFrom && coveredFrom < coveredTo && coveredTo <= bookmarkTo,
            $"covered {coveredFrom:O}..{coveredTo:O} is not inside the bookmark {bookmarkFrom:O}..{bookmarkTo:O}");
        Assert.InRange((coveredTo - coveredFrom).TotalSeconds, duration - 0.01, duration + 0.01);

        // The file is the one hashed, and the hash is the one audited (by system).
        var download = await admin.GetAsync(clip["downloadUrl"]!.GetValue<string>().TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var bytes = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal(clip["sizeBytes"]!.GetValue<long>(), bytes.Length);
        Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        // By the clip's id as well: two clips of the test camera's first seconds can be the same bytes (another test's, in the same run).
        Assert.Equal(1, await app.CountAsync($"SELECT count(*) FROM audit.entries WHERE action = 'clip.saved' AND actor = 'system' AND details->>'sha256' = '{sha}' AND details->>'id' = '{clip["id"]!.GetValue<Guid>()}'"));
        var entry = await app.WaitForTimelineAsync(incident, "ClipRecorded", module: "Video");
        Assert.Contains(sha[..16], entry["text"]!.GetValue<string>());
        Assert.Contains("recorded automatically (live-stream)", entry["text"]!.GetValue<string>());

        // The incident page lists it with both windows.
        using var commander = await app.SignedInAsync(Users.Commander);
        var page = await commander.GetStringAsync($"Alerts/Incidents/Details/{incident}");
        Assert.Contains($"<code class=\"sha256\">{sha}</code>", page);
        Assert.Contains("class=\"clip-bookmark\">Bookmark:", page);
        Assert.Contains("class=\"clip-covered\">Covered:", page);
        Assert.Contains("recorded automatically", page);
    }

    [Fact]
    public async Task A_camera_whose_stream_cannot_be_read_gets_a_failed_clip_with_the_reason_shown()
    {
        var place = Api.Place();
        await app.CameraAsync(place, 40, 135, new { type = "ptz", rangeMeters = 250.0, streamUrl = "rtsp://127.0.0.1:9/never" });
        var incident = await app.PostGunshotAsync(place);
        using var admin = app.AdminClient();
        await VideoTestKit.WaitForVideoEntryAsync(admin, incident);

        var clip = await WaitForClipAsync(admin, incident, c => c["status"]!.GetValue<string>() != "recording");
        Assert.Equal("failed", clip["status"]!.GetValue<string>());
        var failure = clip["failure"]!.GetValue<string>();
        Assert.False(string.IsNullOrWhiteSpace(failure));
        Assert.Equal("", clip["sha256"]!.GetValue<string>());
        Assert.Null(clip["coveredFrom"]);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(clip["downloadUrl"]!.GetValue<string>().TrimStart('/'))).StatusCode);

        using var commander = await app.SignedInAsync(Users.Commander);
        var page = await commander.GetStringAsync($"Alerts/Incidents/Details/{incident}");
        Assert.Contains("data-status=\"failed\"", page);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(failure), page);
    }

    [Fact]
    public async Task A_recorder_exports_the_whole_window_pre_roll_included_and_is_preferred_over_the_live_stream()
    {
        var systems = app.Services.GetRequiredService<RecordingSystems>();
        var camera = new Camera
        {
            Id = Guid.NewGuid(), Name = "Recorded cam", Location = Modules.Shared.Geo.GeoMath.Point(35, -100), Type = "fixed",
            StreamUrl = "rtsp://127.0.0.1:9/never", RecordingSystemId = "vms-1",
        };
        var recorder = systems.For(camera)!;
        Assert.Equal(SimulatedRecordingSystem.SourceName, recorder.Name);
        Assert.Equal(LiveStreamRecordingSystem.SourceName, systems.For(new Camera
        {
            Id = Guid.NewGuid(), Name = "Live only", Location = camera.Location, Type = "fixed", StreamUrl = "rtsp://127.0.0.1:9/never",
        })!.Name);

        var to = DateTimeOffset.UtcNow.AddSeconds(-1);
        var from = to.AddSeconds(-3);
        var file = await recorder.ExportAsync(Guid.CreateVersion7(), camera, from, to, 600, CancellationToken.None);
        Assert.Equal(from, file.CoveredFrom);
        Assert.InRange((file.CoveredTo - from).TotalSeconds, 2.5, 3.0);
        var path = app.Services.GetRequiredService<ClipRecorder>().PathOf(file.FileName);
        Assert.Equal(file.Sha256, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path))));

        // The live stream cannot give a past window back, and says so.
        var live = Assert.Single(app.Services.GetServices<IRecordingSystem>(), s => s.Name == LiveStreamRecordingSystem.SourceName);
        var refused = await Assert.ThrowsAsync<ClipNotRecordedException>(() => live.ExportAsync(Guid.CreateVersion7(), camera, from, to, 600, CancellationToken.None));
        Assert.Contains("cannot give back past video", refused.Message);
    }

    [Fact]
    public async Task A_stream_that_drops_the_first_connection_is_recorded_on_the_second()
    {
        // A camera busy with other recorders may refuse one while it connects (four recordings started at once met that from the test
        // camera). Here a relay in front of the camera closes the first connection at once and passes the next ones through.
        await using var source = await RtspTestCamera.StartAsync();
        var target = new Uri(source.Url);
        var relay = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        relay.Start();
        var connections = 0;
        using var stop = new CancellationTokenSource();
        var relaying = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var client = await relay.AcceptTcpClientAsync(stop.Token);
                if (Interlocked.Increment(ref connections) == 1)
                {
                    client.Dispose();
                    continue;
                }
                _ = Task.Run(async () =>
                {
                    using (client)
                    using (var camera = new System.Net.Sockets.TcpClient())
                    {
                        await camera.ConnectAsync(target.Host, target.Port, stop.Token);
                        var (a, b) = (client.GetStream(), camera.GetStream());
                        await Task.WhenAny(a.CopyToAsync(b, stop.Token), b.CopyToAsync(a, stop.Token));
                    }
                });
            }
        });
        var place = Api.Place();
        var port = ((System.Net.IPEndPoint)relay.LocalEndpoint).Port;
        await app.CameraAsync(place, 40, 135, new { type = "ptz", rangeMeters = 250.0, streamUrl = $"rtsp://127.0.0.1:{port}{target.AbsolutePath}" });
        var incident = await app.PostGunshotAsync(place);
        using var admin = app.AdminClient();
        await VideoTestKit.WaitForVideoEntryAsync(admin, incident);

        var clip = await WaitForClipAsync(admin, incident, c => c["status"]!.GetValue<string>() != "recording");

        // Before, the refused connection was the clip's end: "failed", the incident without its video.
        Assert.True(clip["status"]!.GetValue<string>() == "saved", clip.ToJsonString());
        Assert.InRange(clip["durationSeconds"]!.GetValue<double>(), 2.5, 4.5);
        Assert.True(connections >= 2, $"{connections} connections");
        stop.Cancel();
        relay.Stop();
        await Task.WhenAny(relaying, Task.Delay(1000));
    }

    [Fact]
    public async Task Recordings_over_the_cap_fail_at_once_saying_so_and_the_others_are_saved()
    {
        // A test camera of its own for each: GStreamer's test server answering four recorders at once failed them all, then stopped
        // listening (a rehearsal's run), which says nothing about the cap.
        var sources = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => RtspTestCamera.StartAsync()));
        try
        {
            var place = Api.Place();
            // Six cameras bookmarked at once; at most 4 record at a time (Video:Evidence:MaxConcurrentRecordings).
            for (var i = 0; i < 6; i++)
                await app.CameraAsync(place, 30 + 5 * i, 60 * i, new { type = "ptz", rangeMeters = 250.0, streamUrl = sources[i].Url });
            var incident = await app.PostGunshotAsync(place);
            using var admin = app.AdminClient();
            await VideoTestKit.WaitForVideoEntryAsync(admin, incident);

            JsonArray clips = [];
            for (var i = 0; i < 150; i++)
            {
                clips = (await (await admin.GetAsync($"api/v1/video/incidents/{incident}/clips")).ReadJsonAsync()).AsArray();
                if (clips.Count == 6 && clips.All(c => c!["status"]!.GetValue<string>() != "recording"))
                    break;
                await Task.Delay(200);
            }
            Assert.Equal(6, clips.Count);
            var capped = clips.Where(c => c!["status"]!.GetValue<string>() == "failed"
                && c["failure"]!.GetValue<string>().Contains("(Video:Evidence:MaxConcurrentRecordings)")).ToList();
            var saved = clips.Where(c => c!["status"]!.GetValue<string>() == "saved").ToList();
            Assert.True(capped.Count >= 2, clips.ToJsonString());
            Assert.True(saved.Count is >= 1 and <= 4, clips.ToJsonString());
            Assert.Equal(6, capped.Count + saved.Count);
        }
        finally
        {
            foreach (var source in sources)
                await source.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_recorder_waiting_for_its_window_to_pass_holds_no_recording_slot()
    {
        // One slot. The recorder's clip (window ending in an hour) waits for its window without it, so the live clip queued after it
        // records at once; before, the wait held the slot and the live clip failed over the cap. Its own instance, so the app's slots and
        // other tests' recordings play no part.
        var place = Api.Place();
        var recorded = await app.CameraAsync(place, 40, 0, new { type = "fixed", streamUrl = "rtsp://127.0.0.1:9/never", recordingSystemId = "vms-3" });
        var streamed = await app.CameraAsync(place, 40, 180, new { type = "fixed", streamUrl = "rtsp://127.0.0.1:9/never" });
        var incident = await app.PostGunshotAsync(Api.Place());
        var now = DateTimeOffset.UtcNow;
        var waiting = await ClipRowAsync(incident, recorded, now, now.AddHours(1));
        var live = await ClipRowAsync(incident, streamed, now, now.AddMinutes(5));
        var recorder = app.Services.GetRequiredService<ClipRecorder>();
        var systems = new RecordingSystems([new SimulatedRecordingSystem(recorder, TimeProvider.System), new TestPatternStream(recorder)]);
        using var clips = new AutomaticClips(app.Services.GetRequiredService<IServiceScopeFactory>(), systems,
            Microsoft.Extensions.Options.Options.Create(new EvidenceOptions { MaxConcurrentRecordings = 1, MaxAutoClipSeconds = 1 }),
            TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<AutomaticClips>.Instance);
        await clips.StartAsync(CancellationToken.None);
        clips.Enqueue([waiting, live]);

        var saved = await Poll.ForAsync(() => StatusAsync(live), s => s.Status != EvidenceClipStatus.Recording, TimeSpan.FromSeconds(30),
            s => $"the live clip is still {s.Status}");
        Assert.True(saved.Status == EvidenceClipStatus.Saved, $"{saved.Status}: {saved.Failure}");
        Assert.Equal(EvidenceClipStatus.Recording, (await StatusAsync(waiting)).Status);

        // Stopping the node ends the wait: the recorder's clip is failed as interrupted, not left recording.
        await clips.StopAsync(CancellationToken.None);
        Assert.Equal((EvidenceClipStatus.Failed, AutomaticClips.Interrupted), await StatusAsync(waiting));
    }

    /// <summary>A live stream stand-in for <see cref="A_recorder_waiting_for_its_window_to_pass_holds_no_recording_slot"/>: a second of test pattern, at once.</summary>
    private sealed class TestPatternStream(ClipRecorder recorder) : IRecordingSystem
    {
        public string Name => LiveStreamRecordingSystem.SourceName;

        public bool Serves(Camera camera) => true;

        public DateTimeOffset ReadyAt(DateTimeOffset from, DateTimeOffset to) => DateTimeOffset.MinValue;

        public Task<RecordedClip> ExportAsync(Guid clipId, Camera camera, DateTimeOffset from, DateTimeOffset to, int maxSeconds, CancellationToken ct) =>
            recorder.WriteAsync(clipId, ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=5", "-t", "1", "-an", "-c:v", "libx264", "-preset", "ultrafast",
                "-pix_fmt", "yuv420p"], TimeSpan.FromSeconds(30), ct);
    }

    private async Task<Guid> ClipRowAsync(Guid incident, Guid camera, DateTimeOffset from, DateTimeOffset to)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Modules.Video.Data.VideoDbContext>();
        var id = Guid.CreateVersion7();
        db.EvidenceClips.Add(new EvidenceClip
        {
            Id = id, IncidentId = incident, CameraId = camera, CameraName = "Test cam", RecordedFrom = from, BookmarkFrom = from, BookmarkTo = to,
            SavedBy = EvidenceClipSavers.System, SavedAt = from, Status = EvidenceClipStatus.Recording,
        });
        await db.SaveChangesAsync();
        return id;
    }

    private async Task<(string Status, string? Failure)> StatusAsync(Guid clip)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Modules.Video.Data.VideoDbContext>();
        var row = await db.EvidenceClips.Where(c => c.Id == clip).Select(c => new { c.Status, c.Failure }).SingleAsync();
        return (row.Status, row.Failure);
    }

    private static async Task<JsonNode> WaitForClipAsync(HttpClient client, Guid incidentId, Func<JsonNode, bool> done)
    {
        for (var i = 0; i < 150; i++)
        {
            var clips = (await (await client.GetAsync($"api/v1/video/incidents/{incidentId}/clips")).ReadJsonAsync()).AsArray();
            if (clips.FirstOrDefault(c => c!["savedBy"]!.GetValue<string>() == "system" && done(c)) is { } clip)
                return clip;
            await Task.Delay(200);
        }
        throw new TimeoutException($"no finished automatic clip for incident {incidentId} within 30 s");
    }
}

