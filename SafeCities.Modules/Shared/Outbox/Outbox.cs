using System.Text.Json;

namespace SafeCities.Modules.Shared.Outbox;

public static class Outbox
{
    public const string Table = "outbox_messages";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Maps the module's outbox table; call from the module context's <c>OnModelCreating</c>.</summary>
    public static ModelBuilder HasOutbox(this ModelBuilder b)
    {
        b.Entity<OutboxMessage>(e =>
        {
            e.ToTable(Table);
            e.Property(m => m.Type).HasMaxLength(200);
            e.Property(m => m.Payload).HasColumnType("jsonb");
            e.Property(m => m.LastError).HasMaxLength(2000);
            e.Ignore(m => m.DeliveredByCaller);
            e.Ignore(m => m.Notification);
            e.Ignore(m => m.Lane);
            e.HasIndex(m => m.NextAttemptAt).HasFilter("dispatched_at IS NULL AND failed_at IS NULL");
        });
        return b;
    }

    /// <summary>
    /// Adds <paramref name="message"/> to the context's outbox; it is stored by the same <c>SaveChangesAsync</c> (one transaction) as
    /// the change it reports, and delivered after commit. <paramref name="id"/> defaults to a new id; pass the id of what the message
    /// is about when a repeat must find it (e.g. the detection id). With <paramref name="deliveredByCaller"/> the caller hands it over
    /// itself after commit, with <see cref="OutboxDelivery.DeliverAsync"/> (on its own thread) or <see cref="OutboxDelivery.Post"/> (to the
    /// live dispatch); the sweep still delivers it if the caller dies first. <paramref name="lane"/>: which live workers take it.
    /// </summary>
    public static OutboxMessage AddOutboxMessage<TMessage>(this DbContext db, TMessage message, Guid? id = null, bool deliveredByCaller = false,
        OutboxLane lane = OutboxLane.Reactions)
        where TMessage : IOutboxMessage
    {
        var row = OutboxMessage.For(message, id ?? Guid.CreateVersion7());
        row.DeliveredByCaller = deliveredByCaller;
        row.Lane = lane;
        db.Set<OutboxMessage>().Add(row);
        return row;
    }

    /// <summary>
    /// Whether the context's outbox holds the message <paramref name="id"/>: a reaction's report written under an id fixed by what caused it
    /// (<see cref="Persistence.StableId"/>) by an earlier delivery, so that a delivery again does not react again.
    /// </summary>
    public static Task<bool> HasOutboxMessageAsync(this DbContext db, Guid id, CancellationToken ct) =>
        db.Set<OutboxMessage>().AnyAsync(m => m.Id == id, ct);
}
