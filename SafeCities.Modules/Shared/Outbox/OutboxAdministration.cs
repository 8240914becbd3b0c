using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Modules.Shared.Outbox;

/// <summary>Every module's outbox at a glance: how much waits, how old the oldest is, and the messages that failed or are failing.</summary>
public sealed record ListOutboxQuery : IQuery<OutboxOverviewDto>;

public sealed record OutboxOverviewDto(IReadOnlyList<OutboxSummaryDto> Outboxes, IReadOnlyList<OutboxProblemDto> Problems);

/// <param name="Outbox">The module's schema.</param>
public sealed record OutboxSummaryDto(string Outbox, int Pending, DateTimeOffset? OldestPendingAt, int Failed, int DeliveredLastDay);

/// <param name="FailedAt">Set when it was given up (poison); null while it is still being retried.</param>
public sealed record OutboxProblemDto(string Outbox, Guid Id, string Type, DateTimeOffset CreatedAt, int Attempts, DateTimeOffset NextAttemptAt,
    DateTimeOffset? FailedAt, string? LastError);

/// <summary>An administrator sends a failed (poison) message again, once the cause is fixed: it becomes due now, with its attempts counted anew.</summary>
public sealed record RetryOutboxMessageCommand(string Outbox, Guid Id) : ICommand<bool>;

internal sealed class ListOutboxQueryHandler(IEnumerable<OutboxSource> sources, IServiceProvider services, TimeProvider clock)
    : IQueryHandler<ListOutboxQuery, OutboxOverviewDto>
{
    private const int MostProblems = 100;

    public async ValueTask<OutboxOverviewDto> Handle(ListOutboxQuery query, CancellationToken cancellationToken)
    {
        var dayAgo = clock.GetUtcNow().AddDays(-1);
        var summaries = new List<OutboxSummaryDto>();
        var problems = new List<OutboxProblemDto>();
        foreach (var source in sources.OrderBy(s => s.Schema, StringComparer.Ordinal))
        {
            var messages = source.Messages(services).AsNoTracking();
            var pending = messages.Where(m => m.DispatchedAt == null && m.FailedAt == null);
            summaries.Add(new OutboxSummaryDto(source.Schema, await pending.CountAsync(cancellationToken),
                await pending.MinAsync(m => (DateTimeOffset?)m.CreatedAt, cancellationToken),
                await messages.CountAsync(m => m.FailedAt != null, cancellationToken),
                await messages.CountAsync(m => m.DispatchedAt >= dayAgo, cancellationToken)));
            problems.AddRange(await messages.Where(m => m.DispatchedAt == null && (m.FailedAt != null || m.Attempts > 0))
                .OrderByDescending(m => m.CreatedAt).Take(MostProblems)
                .Select(m => new OutboxProblemDto(source.Schema, m.Id, m.Type, m.CreatedAt, m.Attempts, m.NextAttemptAt, m.FailedAt, m.LastError))
                .ToListAsync(cancellationToken));
        }
        return new OutboxOverviewDto(summaries, [.. problems.OrderByDescending(p => p.CreatedAt).Take(MostProblems)]);
    }
}

internal sealed class RetryOutboxMessageCommandHandler(IEnumerable<OutboxSource> sources, IServiceProvider services, OutboxDispatcher dispatcher,
    TimeProvider clock) : ICommandHandler<RetryOutboxMessageCommand, bool>
{
    public async ValueTask<bool> Handle(RetryOutboxMessageCommand command, CancellationToken cancellationToken)
    {
        var source = sources.SingleOrDefault(s => s.Schema == command.Outbox)
            ?? throw new DomainRuleException($"There is no outbox '{command.Outbox}'.", 404);
        var db = (DbContext)services.GetRequiredService(source.ContextType);
        var message = await db.Set<OutboxMessage>().SingleOrDefaultAsync(m => m.Id == command.Id && m.FailedAt != null && m.DispatchedAt == null, cancellationToken);
        if (message is null)
            return false;
        message.FailedAt = null;
        message.Attempts = 0;
        message.NextAttemptAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        dispatcher.Post(source.ContextType, message);
        return true;
    }
}
