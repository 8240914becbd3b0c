using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafeCities.Modules.Sensors.Data;

namespace SafeCities.Modules.Sensors.Features;

/// <summary>
/// Recurring sweep ("sensors:redispatch"): a detection that was committed but whose reactions did not all complete
/// (crash, failing handler) is published again. Reactions are idempotent per detection id.
/// </summary>
internal sealed class RedispatchGunshotsJob(SensorsDbContext db, IPublisher publisher, TimeProvider clock,
    IOptions<SensorsOptions> options, ILogger<RedispatchGunshotsJob> logger)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow().AddSeconds(-options.Value.RedispatchAfterSeconds);
        var pending = await db.Detections.Where(d => d.DispatchedAt == null && d.ReceivedAt <= cutoff)
            .OrderBy(d => d.ReceivedAt).Take(100).ToListAsync(cancellationToken);
        var done = 0;
        foreach (var detection in pending)
        {
            try
            {
                await GunshotDispatch.PublishAsync(db, publisher, clock, detection, cancellationToken);
                done++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Re-dispatch of detection {DetectionId} failed; it will be retried", detection.Id);
            }
        }
        return done;
    }
}
