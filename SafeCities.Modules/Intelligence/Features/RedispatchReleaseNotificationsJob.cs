using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using SafeCities.Modules.Intelligence.Data;

namespace SafeCities.Modules.Intelligence.Features;

/// <summary>
/// Recurring (every minute, <c>intelligence:redispatch-releases</c>): a release notification is stored in the ingestion transaction and
/// published after commit; if the process died in between, <c>dispatched_at</c> stays null and this sweep publishes it again (from the
/// stored notification, the booking and the person as they are now), then marks it dispatched. Notifications younger than 30 seconds are
/// left to the request that created them. At-least-once: a crash between publish and mark repeats a notice, which boards show once.
/// </summary>
internal sealed class RedispatchReleaseNotificationsJob(IntelligenceDbContext db, RecordReactions reactions, TimeProvider clock,
    ILogger<RedispatchReleaseNotificationsJob> logger)
{
    public const string Id = "intelligence:redispatch-releases";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var cutoff = now.AddSeconds(-30);
        var pending = await db.ReleaseNotifications.AsNoTracking().Where(n => n.DispatchedAt == null && n.CreatedAt <= cutoff)
            .OrderBy(n => n.CreatedAt).Take(100).ToListAsync(cancellationToken);
        var done = 0;
        foreach (var notification in pending)
        {
            try
            {
                var booking = await db.Records.AsNoTracking().SingleAsync(r => r.Id == notification.BookingId, cancellationToken);
                var agency = await db.Agencies.AsNoTracking().SingleAsync(a => a.Id == booking.AgencyId, cancellationToken);
                var person = await db.Persons.AsNoTracking().SingleAsync(p => p.Id == notification.PersonId, cancellationToken);
                var plates = await db.Vehicles.AsNoTracking().Where(v => v.OwnerPersonId == person.Id).Select(v => v.Plate).ToListAsync(cancellationToken);
                var released = await reactions.ReleasedEventAsync(notification, booking, agency, person, plates, now, cancellationToken);
                await reactions.PublishAsync([released], cancellationToken);
                done++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Re-sending release notification {NotificationId} failed; the next sweep retries it", notification.Id);
            }
        }
        if (done > 0)
            logger.LogWarning("Re-sent {Count} release notifications that were stored but never dispatched", done);
        return done;
    }
}
