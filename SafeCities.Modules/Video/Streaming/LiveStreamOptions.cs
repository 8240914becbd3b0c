namespace SafeCities.Modules.Video.Streaming;

/// <summary>The RTSP → HLS relay (configuration section <c>Video:Live</c>).</summary>
internal sealed class LiveStreamOptions
{
    public const string Section = "Video:Live";
    /// <summary>The ffmpeg executable (Debian's <c>ffmpeg</c> package; a name is looked up on PATH).</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";
    /// <summary>Target length of one HLS segment; the delay a viewer sees is about three of them.</summary>
    public int SegmentSeconds { get; set; } = 2;
    /// <summary>A camera's relay is stopped when nobody has asked for its playlist or segments for this long.</summary>
    public int IdleStopSeconds { get; set; } = 30;
    /// <summary>How long the first playlist request waits for ffmpeg to write the first segment.</summary>
    public int StartTimeoutSeconds { get; set; } = 20;
    /// <summary>"copy" passes the camera's H.264 through (no CPU cost); "h264" re-encodes (cameras sending H.265 or MJPEG).</summary>
    public string VideoCodec { get; set; } = "copy";
    /// <summary>A camera's thumbnail is grabbed again after this long.</summary>
    public int SnapshotSeconds { get; set; } = 10;
    /// <summary>A thumbnail grab that has no frame after this long gives up (the page shows "no picture").</summary>
    public int SnapshotTimeoutSeconds { get; set; } = 5;
    /// <summary>Where the segments are written, one folder per running camera (default: the system temp folder).</summary>
    public string? Directory { get; set; }
}
