using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace SafeCities.Modules.Shared.Outbox;

/// <summary>
/// Stamps outbox rows as they are saved and hands them to the live dispatch once they are committed: right after
/// <c>SaveChangesAsync</c>, or after the explicit transaction commits (nothing when it rolls back). Added to every module context.
/// </summary>
internal sealed class OutboxInterceptor(TimeProvider clock, OutboxDispatcher dispatcher, Microsoft.Extensions.Options.IOptions<OutboxOptions> options)
    : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, List<OutboxMessage>> saved = [];

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        Stamp(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Stamp(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken ct = default)
    {
        AfterSave(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        AfterSave(eventData.Context);
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken ct = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Flush(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        Flush(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Stamp(DbContext? context)
    {
        if (context is null)
            return;
        List<OutboxMessage>? added = null;
        foreach (var entry in context.ChangeTracker.Entries<OutboxMessage>())
        {
            if (entry.State != EntityState.Added)
                continue;
            var message = entry.Entity;
            if (message.CreatedAt == default)
            {
                message.Stamp(clock.GetUtcNow(), options.Value.SweepGraceSeconds);
            }
            if (!message.DeliveredByCaller)
                (added ??= []).Add(message);
        }
        if (added is null)
            return;
        var list = saved.GetOrCreateValue(context);
        lock (list)
            list.AddRange(added.Where(m => !list.Contains(m)));
    }

    private void AfterSave(DbContext? context)
    {
        if (context is not null && context.Database.CurrentTransaction is null)
            Flush(context);
    }

    private void Flush(DbContext? context)
    {
        if (context is null || !saved.TryGetValue(context, out var list))
            return;
        OutboxMessage[] committed;
        lock (list)
        {
            committed = [.. list];
            list.Clear();
        }
        foreach (var message in committed)
            dispatcher.Post(context.GetType(), message);
    }

    private void Forget(DbContext? context)
    {
        if (context is not null && saved.TryGetValue(context, out var list))
            lock (list)
                list.Clear();
    }
}
