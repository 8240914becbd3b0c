namespace SafeCities.Modules.Video.Streaming;

/// <summary>
/// Turns one camera stream into HLS files in a folder (driver-like: ffmpeg by default, a hardware encoder or a VMS's own HLS could replace it).
/// The relay decides when to start and stop; the transcoder only runs.
/// </summary>
internal interface IStreamTranscoder
{
    /// <summary>Starts writing <c>index.m3u8</c> and <c>segN.ts</c> files of <paramref name="sourceUrl"/> into <paramref name="directory"/>.</summary>
    IRunningTranscode Start(string sourceUrl, string directory);

    /// <summary>One current frame of the stream as a JPEG (a thumbnail), or null when the stream gave none within <paramref name="timeout"/>.</summary>
    Task<byte[]?> GrabFrameAsync(string sourceUrl, TimeSpan timeout, CancellationToken ct);
}

/// <summary>A running transcode; disposing stops it.</summary>
internal interface IRunningTranscode : IDisposable
{
    bool HasExited { get; }
    /// <summary>The operating-system process (for diagnostics and tests), if there is one.</summary>
    int? ProcessId { get; }
}
