using System.Threading.Channels;
using Microsoft.Extensions.Hosting;

namespace SafeCities.Modules.Shared.Outbox;

internal sealed record PendingDelivery(Type ContextType, OutboxMessage Message);

/// <summary>
/// Which workers deliver a message live. <see cref="Reactions"/>: everything by default — an incident opened, lights raised, cameras
/// tasked, readers armed — taken by <see cref="OutboxOptions.Workers"/> workers of its own. <see cref="Bulk"/>: messages a busy city writes
/// continuously (armed readers' reads captured with every batch), taken by <see cref="OutboxOptions.BulkWorkers"/> others, so that a
/// stream of them never queues ahead of the reactions to a new incident (ADR 0042). The lane is only the live dispatch's; the table
/// and the sweep are the same for both.
/// </summary>
public enum OutboxLane
{
    Reactions,
    Bulk,
}

/// <summary>
/// The live dispatch: messages committed by this process are handed over right after commit (a channel write, no I/O on the
/// caller's path), one channel per <see cref="OutboxLane"/>, and delivered by each lane's workers, each delivery in its own scope.
/// What is dropped here (a full channel, a crash, a stop) is still in the table and taken by <see cref="OutboxSweepJob"/>.
/// </summary>
internal sealed class OutboxDispatcher(TimeProvider clock, ILogger<OutboxDispatcher> logger)
{
    private readonly Channel<PendingDelivery>[] lanes = [.. Enum.GetValues<OutboxLane>().Select(_ => Channel.CreateBounded<PendingDelivery>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite }))];

    public ChannelReader<PendingDelivery> Reader(OutboxLane lane) => lanes[(int)lane].Reader;

    public void Post(Type contextType, OutboxMessage message)
    {
        if (!lanes[(int)message.Lane].Writer.TryWrite(new PendingDelivery(contextType, message)))
            logger.LogWarning("The live outbox dispatch ({Lane}) is full; message {MessageId} waits for the sweep", message.Lane, message.Id);
    }

    /// <summary>Posts the message again after <paramref name="delay"/> if that is within a minute; longer back-offs are the sweep's.</summary>
    public void RetryLater(Type contextType, OutboxMessage message, TimeSpan delay)
    {
        if (delay > TimeSpan.FromMinutes(1))
            return;
        _ = Task.Delay(delay, clock).ContinueWith(_ => Post(contextType, message), TaskScheduler.Default);
    }
}

internal sealed class OutboxWorkers(OutboxDispatcher dispatcher, IServiceScopeFactory scopes, IOptions<OutboxOptions> options, ILogger<OutboxWorkers> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        Enumerable.Range(0, Math.Max(1, options.Value.Workers)).Select(_ => WorkAsync(OutboxLane.Reactions, stoppingToken)).Concat(
        Enumerable.Range(0, Math.Max(1, options.Value.BulkWorkers)).Select(_ => WorkAsync(OutboxLane.Bulk, stoppingToken))));

    private async Task WorkAsync(OutboxLane lane, CancellationToken stoppingToken)
    {
        await Task.Yield();
        await foreach (var pending in dispatcher.Reader(lane).ReadAllAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<OutboxDelivery>().DeliverAsync(pending.ContextType, pending.Message, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Recording the failure itself failed (e.g. the database is away): the row is still pending, the sweep takes it.
                logger.LogError(ex, "Outbox message {MessageId} could not be delivered or recorded; the sweep will take it", pending.Message.Id);
            }
        }
    }
}
