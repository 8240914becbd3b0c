namespace SafeCities.Modules.Intelligence.Contracts;

// ---------- releases ----------

/// <summary>
/// A booking ended in release and the person is on a watchlist or has a recidivism flag. Alerts tells the officers of the district of
/// their last known address and the supervising officer, live. Written to Intelligence's outbox with the notification it announces.
/// </summary>
public sealed record ReoffenderReleasedEvent(Guid NotificationId, Guid PersonId, string Name, DateOnly? DateOfBirth, DateTimeOffset ReleasedAt,
    string Facility, string Agency, string? LastKnownAddress, string? District, string? SupervisingOfficer, IReadOnlyList<string> Reasons,
    IReadOnlyList<string> Plates) : Shared.Outbox.IOutboxMessage;
