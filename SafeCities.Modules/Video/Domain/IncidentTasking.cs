namespace SafeCities.Modules.Video.Domain;

/// <summary>Video's reaction to one incident, written once with its cameras and reports (its presence makes the reaction idempotent); a
/// correction of the incident's location moves it, its cameras and its summary to the corrected place (ADR 0067).</summary>
internal sealed class IncidentReaction
{
    public Guid IncidentId { get; init; }
    public required string Kind { get; init; }
    public double Latitude { get; set; }
    public double Longitude { get; set; }
    public DateTimeOffset OccurredAt { get; init; }
    public DateTimeOffset ReactedAt { get; init; }
    public int PtzTurned { get; set; }
    public int FixedCovering { get; set; }
    public int Bookmarked { get; set; }
    public int Failed { get; set; }
    /// <summary>The reaction in a sentence, as reported on the timeline: what was tasked, or why no camera can see the incident (null for
    /// reactions stored before it was kept).</summary>
    public string? Summary { get; set; }
}

/// <summary>One camera's part in an incident: what it was told (bearing, tilt, bookmark window) and how that went.</summary>
internal sealed class IncidentCamera
{
    public Guid IncidentId { get; init; }
    public Guid CameraId { get; init; }
    /// <summary>"ptz" or "fixed".</summary>
    public required string Role { get; init; }
    public double BearingDegrees { get; set; }
    public double? TiltDegrees { get; set; }
    public double DistanceMeters { get; set; }
    /// <summary><see cref="Contracts.IncidentCameraStatus"/>.</summary>
    public required string Status { get; set; }
    public DateTimeOffset? PointedAt { get; set; }
    public DateTimeOffset? BookmarkFrom { get; set; }
    public DateTimeOffset? BookmarkTo { get; set; }
    public string? BookmarkLabel { get; set; }
    public int Attempts { get; set; }
    public string? Failure { get; set; }
}
