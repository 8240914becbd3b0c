namespace SafeCities.Modules.Platform.Contracts;

/// <summary>Every device of every kind (or of <paramref name="Kind"/>) with its health, worst first (failing, silent, late, ok), then by name.</summary>
public sealed record ListDeviceHealthQuery(string? Kind = null) : IQuery<IReadOnlyList<DeviceHealthDto>>;

public static class DeviceHealthStatus
{
    /// <summary>Heard recently enough, latest command or report without error.</summary>
    public const string Ok = "ok";
    /// <summary>Not heard for longer than its kind's "late" threshold.</summary>
    public const string Late = "late";
    /// <summary>Not heard for longer than its kind's "silent" threshold (or never, that long after registration).</summary>
    public const string Silent = "silent";
    /// <summary>Its latest command failed, or it reports a fault that is still open.</summary>
    public const string Failing = "failing";

    /// <summary>Worst first.</summary>
    public static readonly IReadOnlyList<string> All = [Failing, Silent, Late, Ok];
}

/// <param name="LastHeard">What was last heard from it, in words; null when never.</param>
/// <param name="LateAfter">Its kind's thresholds (null: the kind speaks only when commanded, so silence is not a fault).</param>
public sealed record DeviceHealthDto(Guid Id, string Kind, string Name, string Status, DateTimeOffset RegisteredAt, DateTimeOffset? LastHeardAt,
    string? LastHeard, DateTimeOffset? LastErrorAt, string? LastError, TimeSpan? LateAfter, TimeSpan? SilentAfter);

/// <summary>
/// A device that reports on its own stayed silent past its kind's "silent" threshold (raised once, by the minute-by-minute availability
/// check, until it is heard again).
/// </summary>
public sealed record DeviceWentOfflineEvent(Guid Id, Guid DeviceId, string Kind, string Name, DateTimeOffset? LastHeardAt, DateTimeOffset At) : INotification;

/// <summary>A device that had gone offline was heard again (raised once).</summary>
public sealed record DeviceCameBackEvent(Guid Id, Guid DeviceId, string Kind, string Name, DateTimeOffset OfflineSince, DateTimeOffset At) : INotification;
