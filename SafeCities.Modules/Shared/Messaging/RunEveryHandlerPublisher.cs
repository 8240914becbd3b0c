namespace SafeCities.Modules.Shared.Messaging;

/// <summary>
/// Runs the handlers of a notification one after another (they may share a scoped DbContext) and never lets one
/// failing reaction stop the others: every failure is collected and rethrown together once all handlers have run.
/// </summary>
public sealed class RunEveryHandlerPublisher : INotificationPublisher
{
    public async ValueTask Publish<TNotification>(NotificationHandlers<TNotification> handlers, TNotification notification, CancellationToken cancellationToken)
        where TNotification : INotification
    {
        List<Exception>? failures = null;
        foreach (var handler in handlers)
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
