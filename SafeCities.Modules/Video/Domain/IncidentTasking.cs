namespace SafeCities.Modules.Video.Domain;

/// <summary>Video's reaction to one incident, written once with its cameras and reports (its presence makes the reaction idempotent).</summary>
internal sealed class IncidentReaction
{
    public Guid IncidentId { get; init; }
    public required string Kind { get; init; }
    public double Latitude { get; init; }
    public double Longitude { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public DateTimeOffset ReactedAt { get; init; }
    public int PtzTurned { get; init; }
    public int FixedCovering { get; init; }
    public int Bookmarked { get; init; }
    public int Failed { get; init; }
    /// <summary>The reaction in a sentence, as reported on the timeline: what was tasked, or why no camera can see the incident (null for
    /// reactions stored before it was kept).</summary>
    public string? Summary { get; init; }
}

/// <summary>One camera's part in an incident: what it was told (bearing, tilt, bookmark window) and how that went.</summary>
internal sealed class IncidentCamera
{
    public Guid IncidentId { get; init; }
    public Guid CameraId { get; init; }
    /// <summary>"ptz" or "fixed".</summary>
    public required string Role { get; init; }
    public double BearingDegrees { get; init; }
    public double? TiltDegrees { get; init; }
    public double DistanceMeters { get; init; }
    /// <summary><see cref="Contracts.IncidentCameraStatus"/>.</summary>
    public required string Status { get; init; }
    public DateTimeOffset? PointedAt { get; init; }
    public DateTimeOffset? BookmarkFrom { get; init; }
    public DateTimeOffset? BookmarkTo { get; init; }
    public string? BookmarkLabel { get; init; }
    public int Attempts { get; init; }
    public string? Failure { get; init; }
}
