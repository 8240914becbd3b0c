using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;
using SafeCities.Modules.Shared.Audit;

namespace SafeCities.Modules.Alerts.Subscribers;

internal sealed class GetAlertDeliveryStatusQueryHandler(AlertsDbContext db) : IQueryHandler<GetAlertDeliveryStatusQuery, AlertDeliveryStatusDto>
{
    public async ValueTask<AlertDeliveryStatusDto> Handle(GetAlertDeliveryStatusQuery query, CancellationToken cancellationToken)
    {
        var confirmed = await db.Set<Subscriber>().CountAsync(s => s.ConfirmedAt != null, cancellationToken);
        var unconfirmed = await db.Set<Subscriber>().CountAsync(s => s.ConfirmedAt == null, cancellationToken);
        var counts = await db.Set<SubscriberDelivery>().GroupBy(d => new { d.Channel, d.State })
            .Select(g => new DeliveryCountDto(g.Key.Channel, g.Key.State, g.Count())).ToListAsync(cancellationToken);
        // Failed, and pending ones that have failed at least once (retrying with back-off), newest error first.
        var failures = await db.Set<SubscriberDelivery>().AsNoTracking()
            .Where(d => d.State == DeliveryStates.Failed || (d.State == DeliveryStates.Pending && d.LastError != null))
            .OrderBy(d => d.State == DeliveryStates.Failed ? 0 : 1).ThenByDescending(d => d.NextAttemptAt).Take(Math.Clamp(query.Failures, 1, 500))
            .Join(db.PublicAlertMessages, d => d.MessageId, m => m.Id, (d, m) => new DeliveryFailureDto(d.MessageId, m.Identifier, d.SubscriberId, d.Channel, d.State,
                d.Attempts, d.NextAttemptAt, d.LastError))
            .ToListAsync(cancellationToken);
        return new AlertDeliveryStatusDto(confirmed, unconfirmed, [.. counts.OrderBy(c => c.Channel).ThenBy(c => c.State)], failures);
    }
}

internal sealed class RetryFailedAlertDeliveriesCommandHandler(AlertsDbContext db, TimeProvider clock, SubscriberDeliverySignal signal)
    : ICommandHandler<RetryFailedAlertDeliveriesCommand, int>
{
    public async ValueTask<int> Handle(RetryFailedAlertDeliveriesCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var count = await db.Set<SubscriberDelivery>().Where(d => d.State == DeliveryStates.Failed)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.State, DeliveryStates.Pending).SetProperty(d => d.Attempts, 0).SetProperty(d => d.NextAttemptAt, now),
                cancellationToken);
        await db.AuditAsync(command.By, "Alerts", "alert-deliveries-retry", null, new { count }, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signal.Wake();
        return count;
    }
}

/// <summary>Retention (daily): sign-ups never confirmed after UnconfirmedRetentionHours, delivery records after DeliveryRetentionDays.</summary>
internal sealed class PurgeAlertSubscribersJob(AlertsDbContext db, TimeProvider clock, IOptions<SubscribersOptions> options, ILogger<PurgeAlertSubscribersJob> logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        var (unconfirmed, deliveries, simulated) = await PurgeAsync(ct);
        logger.LogInformation("Purged {Unconfirmed} unconfirmed alert sign-ups, {Deliveries} delivery records and {Simulated} simulated deliveries",
            unconfirmed, deliveries, simulated);
    }

    public async Task<(int Unconfirmed, int Deliveries, int Simulated)> PurgeAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var o = options.Value;
        var signUpsBefore = now.AddHours(-Math.Max(1, o.UnconfirmedRetentionHours));
        var deliveriesBefore = now.AddDays(-Math.Max(1, o.DeliveryRetentionDays));
        var unconfirmed = await db.Set<Subscriber>().Where(s => s.ConfirmedAt == null && s.CreatedAt < signUpsBefore).ExecuteDeleteAsync(ct);
        // Pending rows are kept whatever their age: retention never silently drops a delivery still being tried.
        var deliveries = await db.Set<SubscriberDelivery>().Where(d => d.State != DeliveryStates.Pending && d.CreatedAt < deliveriesBefore).ExecuteDeleteAsync(ct);
        var simulated = await db.Set<SimulatedDelivery>().Where(d => d.FirstAt < deliveriesBefore).ExecuteDeleteAsync(ct);
        return (unconfirmed, deliveries, simulated);
    }
}
