namespace SafeCities.Modules.Intelligence.Contracts;

// ---------- plate hotlist requests (to Plates) ----------

/// <summary>Put a vehicle onto a plate hotlist (for Plates): a warrant became active, or a reoffender was released and the agency's policy says so.</summary>
public sealed record VehicleHotlistRequestedEvent(Guid RequestId, string Plate, string Region, Guid PersonId, string Reason, DateTimeOffset RequestedAt,
    DateTimeOffset? ExpiresAt) : Shared.Outbox.IOutboxMessage;

/// <summary>Take a vehicle off the hotlist it was put on by <paramref name="RequestId"/> (the warrant was cleared, served or recalled).</summary>
public sealed record VehicleHotlistWithdrawnEvent(Guid RequestId, string Plate, string Region, string Reason, DateTimeOffset WithdrawnAt)
    : Shared.Outbox.IOutboxMessage;

public sealed record HotlistRequestDto(Guid Id, string Plate, string Region, Guid PersonId, string Reason, DateTimeOffset RequestedAt,
    DateTimeOffset? ExpiresAt, DateTimeOffset? WithdrawnAt);

/// <summary>What Intelligence asked Plates to watch for (the same requests went out as events); <paramref name="Plate"/> filters.</summary>
public sealed record ListHotlistRequestsQuery(string? Plate = null) : IQuery<IReadOnlyList<HotlistRequestDto>>;
