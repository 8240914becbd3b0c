using System.Text.Json;
using Npgsql;

namespace SafeCities.Modules.Shared.Outbox;

/// <summary>
/// Delivers one stored message: publishes it through the mediator (every handler runs, see RunEveryHandlerPublisher), then marks it
/// dispatched. A failure is recorded on the row (attempts, error, next attempt after a back-off) and retried: soon by the live
/// dispatch, later by the sweep; after <see cref="OutboxOptions.MaxAttempts"/> the message is recorded as failed (poison).
/// Scoped: the handlers share the scope's DbContexts, as any other publish does.
/// </summary>
internal sealed class OutboxDelivery(IServiceProvider services, IPublisher publisher, OutboxDispatcher dispatcher, TimeProvider clock,
    IEnumerable<OutboxSource> sources, NpgsqlDataSource dataSource, IOptions<OutboxOptions> options, ILogger<OutboxDelivery> logger)
{
    /// <summary>Hands a committed message written with <c>deliveredByCaller</c> to the live dispatch (its workers deliver it).</summary>
    public void Post(Type contextType, OutboxMessage message) => dispatcher.Post(contextType, message);

    /// <summary>Returns true when every handler ran; false when the failure was recorded for a retry (or as poison).</summary>
    public async Task<bool> DeliverAsync(Type contextType, OutboxMessage message, CancellationToken ct)
    {
        Exception? failure = null;
        if (!OutboxMessageTypes.All.TryGetValue(message.Type, out var type))
            failure = new InvalidOperationException($"{message.Type} is not an outbox message type of this version.");
        else
        {
            try
            {
                var notification = message.Notification ?? JsonSerializer.Deserialize(message.Payload, type, Outbox.Json)
                    ?? throw new InvalidOperationException($"The payload of {message.Type} is empty.");
                await publisher.Publish(notification, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                failure = ex;
            }
        }

        var now = clock.GetUtcNow();
        if (failure is null)
        {
            // On the app's data source, not through the module's context: building a DbContext for this one statement was about 2 % of the
            // app's CPU in plates-ingest (ADR 0057, tenth pass).
            await using var mark = dataSource.CreateCommand(Dispatched(sources.First(s => s.ContextType == contextType).Schema));
            mark.Parameters.AddRange(DispatchedValues(now, message.Id));
            await mark.ExecuteNonQueryAsync(CancellationToken.None);
            return true;
        }

        var db = (DbContext)services.GetRequiredService(contextType);
        var rows = db.Set<OutboxMessage>().Where(m => m.Id == message.Id);
        // Counted in the row, not in memory: a sweep and a live retry of the same message may both have failed it.
        var error = failure.ToString();
        error = error.Length > 2000 ? error[..2000] : error;
        if (await rows.ExecuteUpdateAsync(s => s.SetProperty(m => m.Attempts, m => m.Attempts + 1).SetProperty(m => m.LastError, error), CancellationToken.None) == 0)
            return false; // the row is gone (deleted by an administrator or the retention): nothing left to retry
        var attempts = await rows.Select(m => m.Attempts).FirstOrDefaultAsync(CancellationToken.None);
        var poison = attempts >= options.Value.MaxAttempts || type is null;
        var retryIn = Backoff(attempts);
        await rows.ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, now + retryIn).SetProperty(m => m.FailedAt, poison ? now : null),
            CancellationToken.None);
        if (poison)
            logger.LogError(failure, "Outbox message {MessageId} ({Type}) failed {Attempts} times and is recorded as failed; an administrator can send it again on /Admin/Outbox",
                message.Id, message.Type, attempts);
        else
        {
            logger.LogWarning(failure, "Delivery {Attempt} of outbox message {MessageId} ({Type}) failed; retrying in {RetryIn}", attempts, message.Id, message.Type, retryIn);
            dispatcher.RetryLater(contextType, message, retryIn);
        }
        return false;
    }

    /// <summary>
    /// Marks a message delivered — also by a caller that did the work of a message it wrote with <c>deliveredByCaller</c> itself, in the
    /// transaction it commits that work with (<paramref name="db"/>'s current transaction, if any).
    /// </summary>
    public static Task MarkDeliveredAsync(DbContext db, Guid messageId, DateTimeOffset at, CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync(Dispatched(db.Model.GetDefaultSchema()!), DispatchedValues(at, messageId), ct);

    /// <summary>
    /// The mark of a delivered message, with <see cref="DispatchedValues"/>. SQL, not ExecuteUpdate: finding the expression in EF's query cache
    /// was most of a delivery's own CPU (perf, plates-ingest). The table's name is a module's own schema, never input.
    /// </summary>
    private static string Dispatched(string schema) =>
        "UPDATE " + schema + "." + Outbox.Table + " SET dispatched_at = @at, attempts = attempts + 1, last_error = NULL WHERE id = @id";

    private static NpgsqlParameter[] DispatchedValues(DateTimeOffset at, Guid id) => [new("at", at), new("id", id)];

    /// <summary>Whether a message is marked delivered (seen in <paramref name="db"/>'s current transaction, if any).</summary>
    public static Task<bool> IsDeliveredAsync(DbContext db, Guid messageId, CancellationToken ct)
    {
        // The table's name is the context's own (its schema), never input; the id is a parameter.
        var delivered = "SELECT EXISTS (SELECT 1 FROM " + db.Model.GetDefaultSchema() + "." + Outbox.Table
            + " WHERE id = {0} AND dispatched_at IS NOT NULL) AS \"Value\"";
        return db.Database.SqlQueryRaw<bool>(delivered, messageId).SingleAsync(ct);
    }

    /// <summary>1 s, 2 s, 4 s … doubling per failed attempt, at most 10 minutes.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(600, Math.Pow(2, Math.Max(0, attempts - 1))));
}
