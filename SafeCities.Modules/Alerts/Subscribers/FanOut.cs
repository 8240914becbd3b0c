using Npgsql;
using SafeCities.Modules.Alerts.Data;

namespace SafeCities.Modules.Alerts.Subscribers;

/// <summary>
/// An issued message (Alert, Update or Cancel) becomes one delivery row per confirmed subscriber with an area that meets the message's area:
/// one INSERT … SELECT in the issuing transaction, so the message is never issued without its deliveries nor the other way round, and the
/// key (message, subscriber) with ON CONFLICT DO NOTHING makes a repeat add nothing. The GiST index on the areas' covers finds candidates
/// (<c>&amp;&amp;</c>); <c>ST_DWithin</c> on the sphere (as GeoMath and the maps compute) decides: a polygon that reaches into a subscriber's
/// circle by a metre counts, one that stays a metre outside does not. An Update or Cancel also reaches every subscriber an earlier message
/// of its alert reached: those told to shelter are told it is over, even when the area moved away from them.
/// </summary>
internal static class SubscriberFanOut
{
    public const string Sql = """
        INSERT INTO alerts.alert_deliveries (message_id, subscriber_id, channel, state, attempts, created_at, next_attempt_at)
        SELECT @message, s.id, s.channel, 'pending', 0, @now, @now
        FROM (SELECT a.subscriber_id
              FROM alerts.public_alert_messages m
              JOIN alerts.alert_subscriber_areas a ON a.cover && m.area AND ST_DWithin(a.area, m.area, a.radius_meters, false)
              WHERE m.id = @message
              UNION   -- an Update or Cancel also reaches everyone an earlier message of its alert reached, wherever its area is now
              SELECT d.subscriber_id
              FROM alerts.public_alert_messages m
              JOIN alerts.public_alert_messages earlier ON earlier.thread_id = m.thread_id AND earlier.id <> m.id
              JOIN alerts.alert_deliveries d ON d.message_id = earlier.id
              WHERE m.id = @message) hit
        JOIN alerts.alert_subscribers s ON s.id = hit.subscriber_id
        WHERE s.confirmed_at IS NOT NULL
        ON CONFLICT (message_id, subscriber_id) DO NOTHING
        """;

    /// <summary>Adds the message's deliveries inside the caller's transaction (the message must be saved); answers how many were added.</summary>
    public static Task<int> EnqueueAsync(AlertsDbContext db, Guid messageId, DateTimeOffset now, CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync(Sql, [new NpgsqlParameter("message", messageId), new NpgsqlParameter("now", now)], ct);
}

/// <summary>Wakes the delivery worker at once after an issue (it otherwise looks every <see cref="SubscribersOptions.PollSeconds"/>).</summary>
internal sealed class SubscriberDeliverySignal
{
    private readonly SemaphoreSlim signal = new(0, 1);

    public void Wake()
    {
        if (signal.CurrentCount == 0)
        {
            try
            {
                signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already woken.
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => signal.WaitAsync(timeout, ct);
}
