namespace SafeCities.Modules.Video.Evidence;

/// <summary>A clip saved as evidence: the file (under the evidence directory) and what proves it unchanged (SHA-256, size).</summary>
internal sealed class EvidenceClip
{
    public Guid Id { get; init; }
    public Guid IncidentId { get; init; }
    public Guid CameraId { get; init; }
    public required string CameraName { get; init; }
    /// <summary>The file's name inside the evidence directory (never a path from input).</summary>
    public required string FileName { get; init; }
    public DateTimeOffset RecordedFrom { get; init; }
    public double DurationSeconds { get; init; }
    public long SizeBytes { get; init; }
    public required string Sha256 { get; init; }
    public DateTimeOffset? BookmarkFrom { get; init; }
    public DateTimeOffset? BookmarkTo { get; init; }
    public required string SavedBy { get; init; }
    public DateTimeOffset SavedAt { get; init; }
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
}
