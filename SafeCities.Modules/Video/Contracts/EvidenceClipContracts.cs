namespace SafeCities.Modules.Video.Contracts;

/// <summary>
/// Saves a recorded clip of a camera tasked for an incident as evidence: the camera's stream is recorded for <paramref name="Seconds"/>
/// (default and cap: <c>Video:Evidence:DefaultClipSeconds</c> / <c>MaxClipSeconds</c>) into the evidence directory, and stored with its SHA-256, size and measured duration, who and when (audited, and on the
/// incident's timeline). Answers when the file is written.
/// </summary>
public sealed record SaveEvidenceClipCommand(Guid IncidentId, Guid CameraId, int? Seconds, string By) : ICommand<EvidenceClipDto>;

/// <summary>The clips saved for an incident, newest first.</summary>
public sealed record ListEvidenceClipsQuery(Guid IncidentId) : IQuery<IReadOnlyList<EvidenceClipDto>>;

/// <param name="Sha256">Lower-case hex SHA-256 of the file's bytes, computed when it was written (empty while recording or when it failed).</param>
/// <param name="BookmarkFrom">The camera's bookmark window for the incident (what a recording system would export).</param>
/// <param name="Status"><c>recording</c> (automatic, under way), <c>saved</c> or <c>failed</c> (see <paramref name="Failure"/>).</param>
/// <param name="CoveredFrom">The window the file actually covers (node clock); never claimed wider than the file. Compare with the bookmark window.</param>
/// <param name="Source">The recording-system driver that made it: <c>live-stream</c> (recorded from the camera's stream, from when it was asked)
/// or a recorder's name (exported the window).</param>
public sealed record EvidenceClipDto(Guid Id, Guid IncidentId, Guid CameraId, string CameraName, DateTimeOffset RecordedFrom, double DurationSeconds,
    long SizeBytes, string Sha256, string SavedBy, DateTimeOffset SavedAt, DateTimeOffset? BookmarkFrom, DateTimeOffset? BookmarkTo,
    string Status = "saved", string? Failure = null, DateTimeOffset? CoveredFrom = null, DateTimeOffset? CoveredTo = null, string Source = "live-stream")
{
    public string DownloadUrl => $"/api/v1/video/clips/{Id}";

    /// <summary>Who saved it: <c>system</c> for a recording started automatically when the incident bookmarked the camera.</summary>
    public bool Automatic => SavedBy == EvidenceClipSavers.System;
}

public static class EvidenceClipSavers
{
    /// <summary>The <c>SavedBy</c> of a clip recorded automatically from an incident's bookmark.</summary>
    public const string System = "system";
}
