using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace SafeCities.Modules.Shared.Outbox;

/// <summary>
/// The outbox for code that writes with Npgsql directly (the COPY ingestion path, which has no DbContext): the same rows as
/// <see cref="Outbox.AddOutboxMessage{TMessage}"/>, inserted in the caller's transaction, and handed to the live dispatch once the
/// caller has committed (what a crash drops before that is taken by the sweep).
/// </summary>
internal sealed class OutboxSqlWriter(OutboxDispatcher dispatcher, TimeProvider clock, IOptions<OutboxOptions> options)
{
    public OutboxMessage Message<TMessage>(TMessage message, Guid id, OutboxLane lane = OutboxLane.Reactions) where TMessage : IOutboxMessage
    {
        var row = OutboxMessage.For(message, id);
        row.Lane = lane;
        row.Stamp(clock.GetUtcNow(), options.Value.SweepGraceSeconds);
        return row;
    }

    /// <summary>Inserts <paramref name="messages"/> into <c>&lt;schema&gt;.outbox_messages</c> in one statement of <paramref name="transaction"/>.</summary>
    public async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string schema, IReadOnlyList<OutboxMessage> messages,
        CancellationToken ct)
    {
        if (messages.Count == 0)
            return;
        await using var insert = new NpgsqlCommand($"""
            INSERT INTO {schema}.{Outbox.Table} (id, type, payload, created_at, next_attempt_at, attempts)
            SELECT id, type, payload::jsonb, created_at, next_attempt_at, 0
            FROM unnest(@ids, @types, @payloads, @created, @next) AS m(id, type, payload, created_at, next_attempt_at)
            """, connection, transaction);
        insert.Parameters.AddWithValue("ids", messages.Select(m => m.Id).ToArray());
        insert.Parameters.AddWithValue("types", messages.Select(m => m.Type).ToArray());
        insert.Parameters.AddWithValue("payloads", messages.Select(m => m.Payload).ToArray());
        insert.Parameters.AddWithValue("created", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, messages.Select(m => m.CreatedAt.UtcDateTime).ToArray());
        insert.Parameters.AddWithValue("next", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, messages.Select(m => m.NextAttemptAt.UtcDateTime).ToArray());
        await insert.ExecuteNonQueryAsync(ct);
    }

    /// <summary>After the caller's commit: the messages go to the live dispatch (delivered and marked through <typeparamref name="TContext"/>).</summary>
    public void Committed<TContext>(IEnumerable<OutboxMessage> messages) where TContext : DbContext
    {
        foreach (var message in messages)
            dispatcher.Post(typeof(TContext), message);
    }
}
