namespace SafeCities.Modules.Lighting.Domain;

/// <summary>Lighting's decision about one incident (one row per incident: the idempotency key of the reaction).</summary>
internal sealed class IncidentLighting
{
    public Guid IncidentId { get; init; }
    public required string Kind { get; init; }
    public double Latitude { get; set; }
    public double Longitude { get; set; }
    public DateTimeOffset OccurredAt { get; init; }
    public DateTimeOffset DecidedAt { get; init; }
    /// <summary><see cref="LightingOutcomes"/>.</summary>
    public required string Outcome { get; set; }
    public required string Summary { get; set; }
    public int RadiusMeters { get; init; }
    public int LevelPercent { get; init; }
    /// <summary>When the raised lights are due back (durable: the overdue sweep uses it if the scheduled job never ran).</summary>
    public DateTimeOffset? RestoreDueAt { get; set; }
    public DateTimeOffset? RestoredAt { get; set; }
    public string? RestoreJobId { get; set; }
}

internal static class LightingOutcomes
{
    public const string Raised = "raised";
    public const string Daylight = "daylight";
    public const string Stale = "stale";
    public const string NoLights = "no-lights";
    /// <summary>It was dark and lights were in range, but none confirmed the raise.</summary>
    public const string Failed = "failed";
}

/// <summary>One light raised for one incident. Active while <see cref="EndedAt"/> is null; a light returns to its normal level only when no active raise covers it.</summary>
internal sealed class LightRaise
{
    public Guid Id { get; init; }
    public Guid IncidentId { get; init; }
    public Guid LightId { get; init; }
    public int Level { get; init; }
    public DateTimeOffset RaisedAt { get; init; }
    public DateTimeOffset Until { get; init; }
    /// <summary><see cref="RaiseStatuses"/>.</summary>
    public required string Status { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public int RestoreAttempts { get; set; }
    public string? Error { get; set; }
}

internal static class RaiseStatuses
{
    public const string Raised = "raised";
    public const string Restored = "restored";
    public const string Failed = "failed";
    /// <summary>The controller never confirmed the restore after many sweeps; the light may still be bright.</summary>
    public const string Abandoned = "abandoned";
}

/// <summary>Every level command sent to a light (after retries), durably: light, level, reason, incident, time, outcome.</summary>
internal sealed class LevelChange
{
    public long Id { get; init; }
    public Guid LightId { get; init; }
    public int Level { get; init; }
    public required string Reason { get; init; }
    public Guid? IncidentId { get; init; }
    public DateTimeOffset At { get; init; }
    /// <summary>ok or failed.</summary>
    public required string Outcome { get; init; }
    public int Attempts { get; init; }
    public string? Error { get; init; }
}

internal sealed class ReactionSettings
{
    public const int SingletonId = 1;
    public int Id { get; init; } = SingletonId;
    public List<string> TriggerKinds { get; set; } = [];
    public int RadiusMeters { get; set; }
    public int LevelPercent { get; set; }
    public int DurationMinutes { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
}

/// <summary>A maintenance work order: one open per light and fault kind.</summary>
internal sealed class WorkOrder
{
    public Guid Id { get; init; }
    public Guid LightId { get; init; }
    public required string FaultKind { get; init; }
    /// <summary>When the light says the fault began.</summary>
    public DateTimeOffset FaultAt { get; init; }
    public DateTimeOffset OpenedAt { get; init; }
    /// <summary>When the light says the fault cleared.</summary>
    public DateTimeOffset? ClearedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public string? ClosedBy { get; set; }
}
