namespace SafeCities.Modules.Shared.Outbox;

/// <summary>
/// A notification that must reach its handlers even when the process dies right after the change that caused it. It is written
/// with <see cref="Outbox.AddOutboxMessage{TMessage}"/> into the module's <c>outbox_messages</c> table in the same transaction as
/// that change, and delivered through the mediator after commit (see docs/adr/0013-one-transactional-outbox.md).
/// Its handlers must be idempotent: a crash between delivery and marking, or a retry, delivers it again.
/// </summary>
public interface IOutboxMessage : INotification;

/// <summary>One row of a module's outbox (<c>&lt;schema&gt;.outbox_messages</c>).</summary>
public sealed class OutboxMessage
{
    public Guid Id { get; set; }

    /// <summary>Full name of the contract type (an <see cref="IOutboxMessage"/>).</summary>
    public string Type { get; set; } = "";

    /// <summary>The message as JSON (jsonb).</summary>
    public string Payload { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the sweep may deliver it: a grace period after it was stored (the live dispatch normally has it by then), or the back-off after a failure.</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset? DispatchedAt { get; set; }

    /// <summary>Set when delivery failed <see cref="OutboxOptions.MaxAttempts"/> times: a poison message, shown to administrators, no longer retried.</summary>
    public DateTimeOffset? FailedAt { get; set; }

    public string? LastError { get; set; }

    /// <summary>
    /// Not stored: the code that wrote it hands it over itself after commit — delivers it on its own thread (it needs the reactions before
    /// it answers) or posts it to the live dispatch once it has done what must come first (e.g. pushed the new incident to the boards).
    /// </summary>
    internal bool DeliveredByCaller { get; set; }

    /// <summary>Not stored: the live dispatch's lane (the sweep delivers every lane alike).</summary>
    internal OutboxLane Lane { get; set; }

    /// <summary>Not stored: the message as written, so that this process delivers it without reading its JSON back.</summary>
    internal object? Notification { get; set; }

    /// <summary>A new row for <paramref name="message"/> (not yet stamped with its times).</summary>
    internal static OutboxMessage For<TMessage>(TMessage message, Guid id) where TMessage : IOutboxMessage => new()
    {
        Id = id, Type = typeof(TMessage).FullName!, Payload = System.Text.Json.JsonSerializer.Serialize(message, Outbox.Json), Notification = message,
    };

    /// <summary>Stored now: due for the sweep once the live dispatch has had <paramref name="graceSeconds"/> to deliver it.</summary>
    internal void Stamp(DateTimeOffset now, int graceSeconds)
    {
        CreatedAt = now;
        NextAttemptAt = now.AddSeconds(graceSeconds);
    }
}
