using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace SafeCities.Modules.Video.Streaming;

/// <summary>
/// A thumbnail per camera: one frame grabbed by the transcoder, kept for <see cref="LiveStreamOptions.SnapshotSeconds"/>, at most two grabs at
/// a time (a page of many cameras does not start many ffmpeg at once).
/// </summary>
internal sealed class CameraSnapshots(IStreamTranscoder transcoder, IOptions<LiveStreamOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<Guid, (DateTimeOffset At, byte[]? Jpeg)> recent = new();
    private readonly SemaphoreSlim grabs = new(2);

    public async Task<byte[]?> GetAsync(Guid cameraId, string streamUrl, CancellationToken ct)
    {
        var freshAfter = clock.GetUtcNow().AddSeconds(-options.Value.SnapshotSeconds);
        if (recent.TryGetValue(cameraId, out var kept) && kept.At > freshAfter)
            return kept.Jpeg;
        await grabs.WaitAsync(ct);
        try
        {
            if (recent.TryGetValue(cameraId, out kept) && kept.At > freshAfter)
                return kept.Jpeg;
            var jpeg = await transcoder.GrabFrameAsync(streamUrl, TimeSpan.FromSeconds(options.Value.SnapshotTimeoutSeconds), ct);
            recent[cameraId] = (clock.GetUtcNow(), jpeg);
            return jpeg;
        }
        finally
        {
            grabs.Release();
        }
    }
}
