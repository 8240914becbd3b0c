namespace SafeCities.Modules.Shared.Outbox;

/// <summary>
/// Recurring sweep ("outbox:sweep", every minute): delivers what a dead process left pending, what the live dispatch dropped, and
/// retries whose back-off has passed, across every module's outbox; deletes delivered messages after
/// <see cref="OutboxOptions.KeepDeliveredDays"/>. Each delivery runs in its own scope, as the live dispatch does.
/// </summary>
internal sealed class OutboxSweepJob(IEnumerable<OutboxSource> sources, IServiceScopeFactory scopes, TimeProvider clock,
    IOptions<OutboxOptions> options, ILogger<OutboxSweepJob> logger)
{
    public const string Id = "outbox:sweep";
    private const int Batch = 200;

    /// <summary>Returns how many messages it delivered.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var delivered = 0;
        foreach (var source in sources)
        {
            var now = clock.GetUtcNow();
            List<OutboxMessage> due;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var outbox = source.Messages(scope.ServiceProvider);
                due = await outbox.AsNoTracking().Where(m => m.DispatchedAt == null && m.FailedAt == null && m.NextAttemptAt <= now)
                    .OrderBy(m => m.NextAttemptAt).Take(Batch).ToListAsync(cancellationToken);
                var keepAfter = now.AddDays(-options.Value.KeepDeliveredDays);
                await outbox.Where(m => m.DispatchedAt < keepAfter).ExecuteDeleteAsync(cancellationToken);
            }
            foreach (var message in due)
            {
                await using var scope = scopes.CreateAsyncScope();
                if (await scope.ServiceProvider.GetRequiredService<OutboxDelivery>().DeliverAsync(source.ContextType, message, cancellationToken))
                    delivered++;
            }
            if (due.Count > 0)
                logger.LogWarning("Outbox sweep: {Delivered} of {Due} pending messages of {Schema} delivered", delivered, due.Count, source.Schema);
        }
        return delivered;
    }
}
