using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace SafeCities.Modules.Video.Streaming;

/// <summary>
/// One transcode per watched camera, started by the first playlist request and stopped when nobody has asked for its playlist or segments
/// for <see cref="LiveStreamOptions.IdleStopSeconds"/> (checked every second). Files are served only by the names ffmpeg generates.
/// </summary>
internal sealed partial class LiveStreamRelay(IStreamTranscoder transcoder, IOptions<LiveStreamOptions> options, TimeProvider clock,
    ILogger<LiveStreamRelay> logger) : BackgroundService
{
    public const string Playlist = "index.m3u8";
    private readonly Lock gate = new();
    private readonly Dictionary<Guid, Session> sessions = [];

    /// <summary>The only names served: the playlist and ffmpeg's numbered segments (no path, no dot-dot, nothing else).</summary>
    [GeneratedRegex(@"^(index\.m3u8|seg[0-9]{1,9}\.ts)\z", RegexOptions.CultureInvariant)]
    public static partial Regex FileName();

    /// <summary>Starts (or keeps) the camera's relay and waits until its playlist exists; null when the stream did not come up in time.</summary>
    public async Task<string?> OpenPlaylistAsync(Guid cameraId, string streamUrl, CancellationToken ct)
    {
        // Someone is waiting to watch: a camera slower to start than the idle time is not stopped as unwatched meanwhile, however late
        // this wait's timer fires on a loaded machine (touching the session on every poll was not enough: one late poll and it was gone).
        var session = Touch(cameraId, streamUrl);
        try
        {
            var path = Path.Combine(session.Directory, Playlist);
            var deadline = clock.GetUtcNow().AddSeconds(options.Value.StartTimeoutSeconds);
            while (!File.Exists(path))
            {
                if (session.Transcode.HasExited || clock.GetUtcNow() > deadline)
                    return null;
                await Task.Delay(TimeSpan.FromMilliseconds(100), clock, ct);
            }
            return path;
        }
        finally
        {
            lock (gate)
            {
                session.Waiting--;
                session.LastRequest = clock.GetUtcNow();
            }
        }
    }

    /// <summary>The full path of a generated file of a running relay (and counts as watching), or null.</summary>
    public string? FilePath(Guid cameraId, string fileName)
    {
        if (!FileName().IsMatch(fileName))
            return null;
        lock (gate)
        {
            if (!sessions.TryGetValue(cameraId, out var session))
                return null;
            session.LastRequest = clock.GetUtcNow();
            var path = Path.Combine(session.Directory, fileName);
            return File.Exists(path) ? path : null;
        }
    }

    /// <summary>The ffmpeg process of a camera's running relay (tests, diagnostics).</summary>
    public int? ProcessId(Guid cameraId)
    {
        lock (gate)
            return sessions.TryGetValue(cameraId, out var s) ? s.Transcode.ProcessId : null;
    }

    /// <summary>The camera's running session (started if there is none, or restarted if it ended or its link changed), with one more
    /// waiter counted: the caller takes it off when its wait ends.</summary>
    private Session Touch(Guid cameraId, string streamUrl)
    {
        lock (gate)
        {
            if (sessions.TryGetValue(cameraId, out var running) && (running.Transcode.HasExited || running.StreamUrl != streamUrl))
            {
                Stop(cameraId, running, "the stream ended or its link changed");
                running = null;
            }
            if (running is null)
            {
                var root = options.Value.Directory is { Length: > 0 } d ? d : Path.Combine(Path.GetTempPath(), "safecities-live");
                var directory = Directory.CreateDirectory(Path.Combine(root, $"{cameraId:N}-{Guid.NewGuid():N}")).FullName;
                running = new Session(streamUrl, directory, transcoder.Start(streamUrl, directory));
                sessions[cameraId] = running;
            }
            running.LastRequest = clock.GetUtcNow();
            running.Waiting++;
            return running;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                StopIdle();
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
        finally
        {
            lock (gate)
                foreach (var (id, s) in sessions.ToList())
                    Stop(id, s, "the application stops");
        }
    }

    private void StopIdle()
    {
        var idleSince = clock.GetUtcNow().AddSeconds(-options.Value.IdleStopSeconds);
        lock (gate)
            foreach (var (id, s) in sessions.Where(s => s.Value.Waiting == 0 && s.Value.LastRequest < idleSince).ToList())
                Stop(id, s, "nobody watches");
    }

    private void Stop(Guid cameraId, Session session, string why)
    {
        sessions.Remove(cameraId);
        session.Transcode.Dispose();
        try
        {
            Directory.Delete(session.Directory, recursive: true);
        }
        catch (IOException)
        {
            // A segment still open; the temp folder is cleaned with the machine.
        }
        logger.LogInformation("Live relay of camera {CameraId} stopped: {Why}", cameraId, why);
    }

    private sealed class Session(string streamUrl, string directory, IRunningTranscode transcode)
    {
        public string StreamUrl { get; } = streamUrl;
        public string Directory { get; } = directory;
        public IRunningTranscode Transcode { get; } = transcode;
        public DateTimeOffset LastRequest { get; set; }

        /// <summary>Playlist requests waiting for the stream to come up; the session is not idle while there are any.</summary>
        public int Waiting { get; set; }
    }
}
