namespace SafeCities.Modules.Video.Contracts;

/// <summary>What became of one camera in the reaction to an incident.</summary>
public static class IncidentCameraStatus
{
    /// <summary>PTZ turned toward the incident, or fixed camera covering it; recording bookmarked.</summary>
    public const string Ok = "ok";
    /// <summary>The driver did not carry out a command after every retry (see <see cref="IncidentCameraDto.Failure"/>).</summary>
    public const string Failed = "failed";
    /// <summary>PTZ within range whose pan range does not include the bearing to the incident: it cannot see it.</summary>
    public const string OutOfPanRange = "out-of-pan-range";
    /// <summary>PTZ within range left alone because the nearer ones already reached the configured maximum.</summary>
    public const string OverLimit = "over-limit";
    /// <summary>Tasked at the incident's first location, which was corrected since, and cannot see the corrected one: it was left as it
    /// was (its bookmark stays), ADR 0067.</summary>
    public const string FirstLocation = "first-location";
}

/// <summary>
/// One camera in an incident's reaction. <see cref="BearingDegrees"/> is from the camera to the incident (where a PTZ was turned);
/// <see cref="TiltDegrees"/> is set for PTZ cameras only.
/// </summary>
public sealed record IncidentCameraDto(Guid CameraId, string Name, string Type, double Latitude, double Longitude, double? HeadingDegrees,
    double? FieldOfViewDegrees, double RangeMeters, double? PanMinDegrees, double? PanMaxDegrees, double BearingDegrees, double? TiltDegrees,
    double DistanceMeters, string? StreamUrl, DateTimeOffset? BookmarkFrom, DateTimeOffset? BookmarkTo, string Status, string? Failure);

/// <summary>The cameras tasked for, covering or unable to see an incident, nearest first (empty when none or not reacted yet).</summary>
public sealed record GetIncidentCamerasQuery(Guid IncidentId) : IQuery<IReadOnlyList<IncidentCameraDto>>;

/// <summary>Video's reaction to an incident in a sentence, as on its timeline: what was tasked, or why no camera can see it.</summary>
/// <param name="Summary">Null for reactions stored before the sentence was kept.</param>
public sealed record IncidentCameraReactionDto(DateTimeOffset ReactedAt, int PtzTurned, int FixedCovering, string? Summary);

/// <summary>Video's reaction to an incident; null when it has not reacted (not yet, or the incident's kind does not task cameras).</summary>
public sealed record GetIncidentCameraReactionQuery(Guid IncidentId) : IQuery<IncidentCameraReactionDto?>;
