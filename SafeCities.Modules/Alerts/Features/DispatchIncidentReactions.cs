using System.Threading.Channels;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Data;

namespace SafeCities.Modules.Alerts.Features;

/// <summary>
/// The modules' reactions to a new incident (lights, cameras, plate readers) run off the request path: the device gets its
/// answer as soon as the incident is committed and pushed. The incident carries a <c>reactions_dispatched_at</c> marker, so a
/// crash or a failing reaction is retried by <see cref="RedispatchIncidentReactionsJob"/>; reactions are idempotent per incident.
/// </summary>
internal sealed class IncidentReactionQueue
{
    private readonly Channel<Guid> channel = Channel.CreateBounded<Guid>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Dropping here is safe: the marker stays unset and the sweep picks the incident up.</summary>
    public void Enqueue(Guid incidentId) => channel.Writer.TryWrite(incidentId);

    public ChannelReader<Guid> Reader => channel.Reader;
}

internal sealed class IncidentReactionDispatcher(IncidentReactionQueue queue, IServiceScopeFactory scopes, ILogger<IncidentReactionDispatcher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var incidentId in queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<IncidentReactions>().DispatchAsync(incidentId, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Reactions to incident {IncidentId} failed; the sweep will retry them", incidentId);
            }
        }
    }
}

internal sealed class IncidentReactions(AlertsDbContext db, IPublisher publisher, TimeProvider clock)
{
    public async Task DispatchAsync(Guid incidentId, CancellationToken ct)
    {
        var incident = await db.Incidents.SingleOrDefaultAsync(i => i.Id == incidentId, ct);
        if (incident is null || incident.ReactionsDispatchedAt is not null)
            return;
        var uncertainty = await db.Detections.Where(d => d.IncidentId == incidentId).OrderBy(d => d.OccurredAt)
            .Select(d => d.UncertaintyMeters).FirstOrDefaultAsync(ct);
        await publisher.Publish(new IncidentOpenedEvent(incident.Id, incident.Kind, incident.Latitude, incident.Longitude, incident.OpenedAt, uncertainty), ct);
        incident.ReactionsDispatchedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>Recurring sweep ("alerts:redispatch-reactions"): incidents whose reactions never completed get them again.</summary>
internal sealed class RedispatchIncidentReactionsJob(AlertsDbContext db, IncidentReactions reactions, TimeProvider clock,
    ILogger<RedispatchIncidentReactionsJob> logger)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow().AddSeconds(-30);
        var pending = await db.Incidents.Where(i => i.ReactionsDispatchedAt == null && i.OpenedAt <= cutoff && i.Status != IncidentStatus.Closed)
            .OrderBy(i => i.OpenedAt).Select(i => i.Id).Take(100).ToListAsync(cancellationToken);
        var done = 0;
        foreach (var id in pending)
        {
            try
            {
                await reactions.DispatchAsync(id, cancellationToken);
                done++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Re-dispatch of reactions to incident {IncidentId} failed; will retry", id);
            }
        }
        return done;
    }
}
