using System.Globalization;
using SafeCities.Modules.Video.Domain;

namespace SafeCities.Modules.Video.Evidence;

/// <summary>
/// Where a camera's video for a window comes from (ADR 0024). A recorder (a VMS, an NVR) keeps the camera's video and exports any window
/// it holds, including the seconds before the incident; a camera without one is recorded from its live stream, which can give only what
/// is still to come. Each driver answers with the window its file actually covers, which may be narrower than the one asked for.
/// A real recorder (a VMS export API) is one more implementation, registered before the live-stream one.
/// </summary>
internal interface IRecordingSystem
{
    /// <summary>Stored on the clip as its source.</summary>
    string Name { get; }

    /// <summary>Whether this system can give video of <paramref name="camera"/>.</summary>
    bool Serves(Camera camera);

    /// <summary>When an export of <paramref name="from"/>..<paramref name="to"/> can begin: a recorder once it holds the whole window (after
    /// <paramref name="to"/>), a live stream at once. The wait holds no recording slot (<c>MaxConcurrentRecordings</c>); the export does.</summary>
    DateTimeOffset ReadyAt(DateTimeOffset from, DateTimeOffset to);

    /// <summary>Writes the camera's video of <paramref name="from"/>..<paramref name="to"/> (at most <paramref name="maxSeconds"/>) as clip
    /// <paramref name="clipId"/> and answers what it covers. Throws <see cref="ClipNotRecordedException"/> when nothing usable was written.</summary>
    Task<RecordedClip> ExportAsync(Guid clipId, Camera camera, DateTimeOffset from, DateTimeOffset to, int maxSeconds, CancellationToken ct);
}

/// <summary>The registered recording systems in order of preference (recorders first, the live stream last).</summary>
internal sealed class RecordingSystems(IEnumerable<IRecordingSystem> systems)
{
    public IRecordingSystem? For(Camera camera) => systems.FirstOrDefault(s => s.Serves(camera));
}

/// <summary>
/// The driver for cameras without a recorder: records the camera's RTSP stream from now (never the past) until the window's end, at most
/// <c>maxSeconds</c>. The clip covers what it recorded: it starts when the recording did, so the pre-roll before the incident is never in it.
/// </summary>
internal sealed class LiveStreamRecordingSystem(ClipRecorder recorder, TimeProvider clock) : IRecordingSystem
{
    public const string SourceName = "live-stream";

    public string Name => SourceName;

    public bool Serves(Camera camera) => Uri.TryCreate(camera.StreamUrl, UriKind.Absolute, out var uri) && uri.Scheme is "rtsp" or "rtsps";

    public DateTimeOffset ReadyAt(DateTimeOffset from, DateTimeOffset to) => DateTimeOffset.MinValue;

    public async Task<RecordedClip> ExportAsync(Guid clipId, Camera camera, DateTimeOffset from, DateTimeOffset to, int maxSeconds, CancellationToken ct)
    {
        var start = Max(from, clock.GetUtcNow());
        var seconds = (int)Math.Min(Math.Ceiling((to - start).TotalSeconds), maxSeconds);
        if (seconds < 1)
            throw new ClipNotRecordedException("the window has already ended; a live stream cannot give back past video");
        return await recorder.RecordAsync(clipId, camera.StreamUrl!, seconds, ct);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}

/// <summary>
/// A stand-in for a recorder (<c>Video:Evidence:SimulatedRecorder</c>, demo and tests only): for a camera with a <c>recordingSystemId</c> it
/// is ready once the window has passed, as a real export is, and writes a test-pattern video of the whole window (capped at
/// <c>maxSeconds</c>), so the clip covers the pre-roll too. Its clips are marked <c>simulated-recorder</c>; they are not video of the scene.
/// </summary>
internal sealed class SimulatedRecordingSystem(ClipRecorder recorder, TimeProvider clock) : IRecordingSystem
{
    public const string SourceName = "simulated-recorder";

    public string Name => SourceName;

    public bool Serves(Camera camera) => !string.IsNullOrWhiteSpace(camera.RecordingSystemId);

    public DateTimeOffset ReadyAt(DateTimeOffset from, DateTimeOffset to) => to;

    public async Task<RecordedClip> ExportAsync(Guid clipId, Camera camera, DateTimeOffset from, DateTimeOffset to, int maxSeconds, CancellationToken ct)
    {
        if (clock.GetUtcNow() < to)
            throw new ClipNotRecordedException("the recorder does not hold the whole window until it has passed");
        var seconds = Math.Min((to - from).TotalSeconds, maxSeconds);
        var length = seconds.ToString("0.###", CultureInfo.InvariantCulture);
        var written = await recorder.WriteAsync(clipId,
            ["-f", "lavfi", "-i", "testsrc=size=320x240:rate=5", "-t", length, "-an", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"],
            TimeSpan.FromSeconds(60 + seconds), ct);
        // The recorder holds the window itself: the file is the window from its start, as long as the file is.
        return written with { CoveredFrom = from, CoveredTo = from.AddSeconds(Math.Min(written.DurationSeconds, seconds)) };
    }
}
