namespace SafeCities.Modules.Shared.Outbox;

/// <summary>Configuration section <c>Outbox</c>.</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>Deliveries of one message before it is recorded as failed (poison) and left for an administrator.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>How long after commit the sweep leaves a message to the live dispatch before it delivers it itself.</summary>
    public int SweepGraceSeconds { get; set; } = 30;

    /// <summary>Delivered messages are kept this long (for inspection), then deleted by the sweep.</summary>
    public int KeepDeliveredDays { get; set; } = 7;

    /// <summary>Messages of the <see cref="OutboxLane.Reactions"/> lane delivered at the same time by the live dispatch.</summary>
    public int Workers { get; set; } = 4;

    /// <summary>Messages of the <see cref="OutboxLane.Bulk"/> lane delivered at the same time by the live dispatch.</summary>
    public int BulkWorkers { get; set; } = 2;
}
