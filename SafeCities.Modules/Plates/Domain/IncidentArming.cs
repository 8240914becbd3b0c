using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Modules.Plates.Domain;

/// <summary>What Plates did about one incident (one row per incident: the reaction's idempotency key).</summary>
internal sealed class IncidentReaction
{
    public Guid IncidentId { get; init; }
    public required string Kind { get; init; }
    public double Latitude { get; set; }
    public double Longitude { get; set; }
    public DateTimeOffset OccurredAt { get; init; }
    public int RadiusMeters { get; init; }
    public DateTimeOffset WindowStart { get; init; }
    /// <summary>Brought forward to the stand-down when the incident stands down first (ADR 0068).</summary>
    public DateTimeOffset WindowEnd { get; set; }
    public int ReadersArmed { get; set; }
    /// <summary>The timeline id of the "readers armed" report, fixed so a re-run reports the same fact once.</summary>
    public Guid ArmedReactionId { get; init; }
    public DateTimeOffset ReactedAt { get; init; }

    public double DistanceTo(double latitude, double longitude) => GeoMath.DistanceMeters(Latitude, Longitude, latitude, longitude);
}

/// <summary>A reader armed for an incident: its reads captured inside the window belong to the incident, whenever they arrive.</summary>
internal sealed class ReaderArming
{
    public Guid Id { get; init; }
    public Guid IncidentId { get; init; }
    public Guid ReaderId { get; init; }
    public DateTimeOffset WindowStart { get; init; }
    public DateTimeOffset WindowEnd { get; init; }
    public DateTimeOffset ArmedAt { get; init; }
}

/// <summary>
/// A read tied to an incident. <see cref="PassId"/> groups the reads one linking pass tied (the arming's look-back, or one
/// ingested batch) and is the timeline id of that pass's report (written to Plates' outbox in the same transaction).
/// </summary>
internal sealed class IncidentRead
{
    public Guid IncidentId { get; init; }
    public Guid PlateReadId { get; init; }
    public Guid PassId { get; init; }
    public DateTimeOffset LinkedAt { get; init; }
}

/// <summary>The window of reads that belongs to an incident: [incident time − before, incident time + after].</summary>
internal readonly record struct ArmingWindow(DateTimeOffset Start, DateTimeOffset End)
{
    public static ArmingWindow Around(DateTimeOffset incidentAt, int beforeMinutes, int afterMinutes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(beforeMinutes);
        ArgumentOutOfRangeException.ThrowIfNegative(afterMinutes);
        var at = incidentAt.ToUniversalTime();
        return new ArmingWindow(at.AddMinutes(-beforeMinutes), at.AddMinutes(afterMinutes));
    }

    /// <summary>Both ends inclusive (as the SQL <c>BETWEEN</c> that links reads).</summary>
    public bool Contains(DateTimeOffset capturedAt) => capturedAt >= Start && capturedAt <= End;
}
