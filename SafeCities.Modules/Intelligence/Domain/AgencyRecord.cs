using NpgsqlTypes;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Modules.Intelligence.Domain;

/// <summary>A booking/release, supervision, warrant, court case, call for service, or a person/vehicle record, as one agency sent it.</summary>
internal sealed class AgencyRecord
{
    public Guid Id { get; init; }
    public Guid AgencyId { get; init; }
    public required string Kind { get; init; }
    public required string SourceId { get; init; }
    public Guid? PersonId { get; set; }
    public Guid? IdentityId { get; set; }
    public Guid? VehicleId { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public string? Status { get; set; }
    public required string Summary { get; set; }
    public Dictionary<string, string> Details { get; set; } = [];
    public string? Narrative { get; set; }
    public bool Sealed { get; set; }
    public bool ViolentOffence { get; set; }
    /// <summary>Lower case; probation officers see their supervisees (scope "supervisees").</summary>
    public string? SupervisingOfficer { get; set; }
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    public string? Address { get; set; }
    public DateTimeOffset ReceivedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>Generated: full-text vector over summary, address and narrative.</summary>
    public NpgsqlTsVector SearchVector { get; init; } = null!;
}

/// <summary>Data, not code: what a role (optionally of one agency) may see of one kind of record.</summary>
internal sealed class AccessRule
{
    public Guid Id { get; init; }
    public required string Role { get; init; }
    public required string RecordKind { get; init; }
    public required string Access { get; set; }
    public required string Scope { get; set; }
    public bool IncludeSealed { get; set; }
    public Guid? AgencyId { get; init; }
}

/// <summary>One watch (person, plate or criteria). Removal is soft: the entry stays, with who removed it and when, and no longer watches.</summary>
internal sealed class WatchlistEntry
{
    public Guid Id { get; init; }
    public required string Name { get; init; }
    public Guid? PersonId { get; init; }
    public string? Plate { get; init; }
    public string? Criteria { get; init; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RemovedAt { get; private set; }
    public string? RemovedBy { get; private set; }

    public void Remove(string by, DateTimeOffset at)
    {
        if (RemovedAt is not null)
            throw new DomainRuleException($"The entry was already removed by {RemovedBy} at {RemovedAt:u}.");
        (RemovedAt, RemovedBy) = (at, by);
    }
}

/// <summary>
/// One release that raised <c>ReoffenderReleased</c> (unique per booking: a re-sent release notifies once): the record of what officers were
/// told. The notice itself goes out through Intelligence's outbox (its message has this id).
/// </summary>
internal sealed class ReleaseNotification
{
    public Guid Id { get; init; }
    public Guid BookingId { get; init; }
    public Guid PersonId { get; init; }
    public DateTimeOffset ReleasedAt { get; init; }
    public List<string> Reasons { get; init; } = [];
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A vehicle Intelligence asked Plates to hotlist (the request also went out as an event).</summary>
internal sealed class HotlistRequest
{
    public Guid Id { get; init; }
    public required string Plate { get; init; }
    public required string Region { get; init; }
    public Guid PersonId { get; init; }
    public Guid SourceRecordId { get; init; }
    public required string Reason { get; init; }
    public DateTimeOffset RequestedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? WithdrawnAt { get; set; }
}
