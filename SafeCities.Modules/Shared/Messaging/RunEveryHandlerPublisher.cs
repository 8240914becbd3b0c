namespace SafeCities.Modules.Shared.Messaging;

/// <summary>
/// Runs the handlers of a notification one after another (they may share a scoped DbContext) and never lets one
/// failing reaction stop the others: every failure is collected and rethrown together once all handlers have run.
/// Handlers marked <see cref="IRunsAfterReactions"/> run after all the others.
/// </summary>
public sealed class RunEveryHandlerPublisher : INotificationPublisher
{
    public async ValueTask Publish<TNotification>(NotificationHandlers<TNotification> handlers, TNotification notification, CancellationToken cancellationToken)
        where TNotification : INotification
    {
        List<Exception>? failures = null;
        foreach (var handler in handlers.OrderBy(h => h is IRunsAfterReactions))   // a stable order: the reactions first, as registered
        {
            try
            {
                await handler.Handle(notification, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                (failures ??= []).Add(new NotificationHandlerException(handler.GetType().Name, typeof(TNotification).Name, ex));
            }
        }
        if (failures is { Count: 1 })
            throw failures[0];
        if (failures is not null)
            throw new AggregateException($"{failures.Count} handlers of {typeof(TNotification).Name} failed", failures);
    }
}

public sealed class NotificationHandlerException(string handler, string notification, Exception inner)
    : Exception($"{handler} failed to handle {notification}: {inner.Message}", inner);

/// <summary>
/// A notification handler whose work may take long and is not itself a reaction (linking the reads the armed readers had already sent to a
/// new incident can touch tens of thousands of rows on a busy road): <see cref="RunEveryHandlerPublisher"/> runs it after every other handler
/// of the notification, so that it never delays the lights, cameras and readers reacting to the same incident. Work that may take seconds
/// belongs in a background job instead (the automatic co-location, ADR 0042).
/// </summary>
public interface IRunsAfterReactions;
