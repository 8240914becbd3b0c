namespace SafeCities.Modules.Video.Contracts;

/// <summary>
/// Saves a recorded clip of a camera tasked for an incident as evidence: the camera's stream is recorded for <paramref name="Seconds"/>
/// (default and cap: <c>Video:Evidence:DefaultClipSeconds</c> / <c>MaxClipSeconds</c>) into the evidence directory, and stored with its SHA-256, size and measured duration, who and when (audited, and on the
/// incident's timeline). Answers when the file is written.
/// </summary>
public sealed record SaveEvidenceClipCommand(Guid IncidentId, Guid CameraId, int? Seconds, string By) : ICommand<EvidenceClipDto>;

/// <summary>The clips saved for an incident, newest first.</summary>
public sealed record ListEvidenceClipsQuery(Guid IncidentId) : IQuery<IReadOnlyList<EvidenceClipDto>>;

/// <param name="Sha256">Lower-case hex SHA-256 of the file's bytes, computed when it was written.</param>
/// <param name="BookmarkFrom">The camera's bookmark window for the incident (what a recording system would export).</param>
public sealed record EvidenceClipDto(Guid Id, Guid IncidentId, Guid CameraId, string CameraName, DateTimeOffset RecordedFrom, double DurationSeconds,
    long SizeBytes, string Sha256, string SavedBy, DateTimeOffset SavedAt, DateTimeOffset? BookmarkFrom, DateTimeOffset? BookmarkTo)
{
    public string DownloadUrl => $"/api/v1/video/clips/{Id}";
}
