namespace SafeCities.Modules.Video.Evidence;

/// <summary>
/// A clip saved as evidence: the file (under the evidence directory) and what proves it unchanged (SHA-256, size), the window the file
/// actually covers next to the camera's bookmark window, and how it went (<see cref="EvidenceClipStatus"/>; an automatic recording is a row
/// in <c>recording</c> from the moment the incident bookmarks the camera, then <c>saved</c> or <c>failed</c> with the reason).
/// </summary>
internal sealed class EvidenceClip
{
    public Guid Id { get; init; }
    public Guid IncidentId { get; init; }
    public Guid CameraId { get; init; }
    public required string CameraName { get; init; }
    /// <summary>The file's name inside the evidence directory (never a path from input); null until saved.</summary>
    public string? FileName { get; set; }
    public DateTimeOffset RecordedFrom { get; set; }
    public double DurationSeconds { get; set; }
    public long SizeBytes { get; set; }
    /// <summary>Lower-case hex SHA-256 of the file; null until saved.</summary>
    public string? Sha256 { get; set; }
    /// <summary><see cref="EvidenceClipStatus"/>.</summary>
    public string Status { get; set; } = EvidenceClipStatus.Saved;
    /// <summary>Why a clip failed (one line, bounded).</summary>
    public string? Failure { get; set; }
    /// <summary>What the file covers (node clock): never wider than the file, and shown beside the bookmark window.</summary>
    public DateTimeOffset? CoveredFrom { get; set; }
    public DateTimeOffset? CoveredTo { get; set; }
    /// <summary>Which recording-system driver made it (<c>live-stream</c>, <c>simulated-recorder</c>, …).</summary>
    public string Source { get; set; } = LiveStreamRecordingSystem.SourceName;
    public DateTimeOffset? BookmarkFrom { get; init; }
    public DateTimeOffset? BookmarkTo { get; init; }
    public required string SavedBy { get; init; }
    public DateTimeOffset SavedAt { get; set; }
}

internal static class EvidenceClipStatus
{
    public const string Recording = "recording";
    public const string Saved = "saved";
    public const string Failed = "failed";
}

/// <summary>Configuration section <c>Video:Evidence</c>.</summary>
internal sealed class EvidenceOptions
{
    public const string Section = "Video:Evidence";
    /// <summary>Where clips are written (default: <c>data/evidence</c> under the app's content root, ignored by git).</summary>
    public string? Directory { get; set; }
    /// <summary>Seconds recorded when the request names none.</summary>
    public int DefaultClipSeconds { get; set; } = 30;
    /// <summary>The longest clip one request may record (the request lasts as long: keep it under a proxy's read timeout, nginx's default is 60 s).</summary>
    public int MaxClipSeconds { get; set; } = 50;
    /// <summary>The ffprobe executable (Debian's <c>ffmpeg</c> package), which measures a written clip's duration.</summary>
    public string FfprobePath { get; set; } = "ffprobe";
    /// <summary>Record the bookmark window of every camera an incident bookmarks (and that has a stream or a recorder) automatically.</summary>
    public bool AutoRecord { get; set; } = true;
    /// <summary>Automatic recordings running at once on this node; a bookmark over the cap gets a failed clip row saying so.</summary>
    public int MaxConcurrentRecordings { get; set; } = 4;
    /// <summary>The longest automatic clip (seconds); a longer bookmark window is covered only this far (and the row says so).</summary>
    public int MaxAutoClipSeconds { get; set; } = 600;
    /// <summary>Export cameras that have a <c>recordingSystemId</c> from the simulated recorder (test pattern video of the whole window; demo only).</summary>
    public bool SimulatedRecorder { get; set; }
}
