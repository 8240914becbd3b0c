using System.Text;
using Microsoft.Extensions.Hosting;
using Npgsql;
using NpgsqlTypes;
using SafeCities.Modules.Alerts.Data;
using SafeCities.Modules.Alerts.PublicAlerts;

namespace SafeCities.Modules.Alerts.Subscribers;

/// <summary>
/// Sends due deliveries: claims a batch (<c>FOR UPDATE SKIP LOCKED</c> in a short transaction that moves the rows' next attempt to the end of
/// the claim), hands them to each channel's driver, then marks each sent, or schedules its retry with back-off (failed after MaxAttempts).
/// A sender that dies after claiming leaves its rows to come due again when the claim runs out; a row marked sent is never taken again.
/// A crash after a driver took a message and before the mark sends that message once more (at least once to the gateway; the e-mail's
/// Message-ID is the same both times) — the window is one batch's hand-over (ADR 0040).
/// </summary>
internal sealed class SubscriberDeliverySender(AlertsDbContext db, NpgsqlDataSource dataSource, IEnumerable<IAlertChannelDriver> drivers,
    IOptions<SubscribersOptions> options, TimeProvider clock, SubscriberLinks links, ILogger<SubscriberDeliverySender> logger)
{
    internal sealed record Claimed(Guid MessageId, Guid SubscriberId, string Channel, int Attempts);

    /// <summary>One batch; answers how many deliveries it claimed (0: nothing due).</summary>
    public async Task<int> DeliverDueAsync(CancellationToken ct)
    {
        var o = options.Value;
        var claimed = await ClaimAsync(Math.Max(1, o.BatchSize), TimeSpan.FromSeconds(Math.Max(1, o.ClaimSeconds)), ct);
        if (claimed.Count == 0)
            return 0;
        await SendAsync(claimed, ct);
        return claimed.Count;
    }

    /// <summary>Claims up to <paramref name="count"/> due deliveries for <paramref name="claim"/> (also what a crashed sender did before dying).</summary>
    public async Task<IReadOnlyList<Claimed>> ClaimAsync(int count, TimeSpan claim, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand("""
            WITH due AS (
                SELECT message_id, subscriber_id FROM alerts.alert_deliveries
                WHERE state = 'pending' AND next_attempt_at <= @now
                ORDER BY next_attempt_at LIMIT @count FOR UPDATE SKIP LOCKED)
            UPDATE alerts.alert_deliveries d SET claimed_until = @until, next_attempt_at = @until, attempts = d.attempts + 1
            FROM due WHERE d.message_id = due.message_id AND d.subscriber_id = due.subscriber_id
            RETURNING d.message_id, d.subscriber_id, d.channel, d.attempts
            """, connection);
        command.Parameters.Add(new NpgsqlParameter("now", now));
        command.Parameters.Add(new NpgsqlParameter("count", count));
        command.Parameters.Add(new NpgsqlParameter("until", now + claim));
        var rows = new List<Claimed>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rows.Add(new Claimed(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetInt32(3)));
        return rows;
    }

    private ValueTask<NpgsqlConnection> OpenAsync(CancellationToken ct) => dataSource.OpenConnectionAsync(ct);

    private async Task SendAsync(IReadOnlyList<Claimed> claimed, CancellationToken ct)
    {
        var messageIds = claimed.Select(c => c.MessageId).Distinct().ToList();
        var subscriberIds = claimed.Select(c => c.SubscriberId).Distinct().ToList();
        var messages = await db.PublicAlertMessages.AsNoTracking().Where(m => messageIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, ct);
        var subscribers = await db.Set<Subscriber>().AsNoTracking().Where(s => subscriberIds.Contains(s.Id))
            .Select(s => new { s.Id, s.Address, s.Language, s.UnsubscribeTokenSealed }).ToDictionaryAsync(s => s.Id, ct);
        var baseUrl = links.BaseUrl;
        var outcomes = new List<(Claimed Row, string? Error)>(claimed.Count);
        foreach (var channel in claimed.GroupBy(c => c.Channel))
        {
            var driver = drivers.FirstOrDefault(d => d.Channel == channel.Key);
            var batch = new List<(Claimed Row, OutgoingAlert Message)>();
            foreach (var row in channel)
            {
                // Unsubscribed since (its rows went with it) or the message vanished: nothing to send, nothing to mark.
                if (!subscribers.TryGetValue(row.SubscriberId, out var s) || !messages.TryGetValue(row.MessageId, out var m))
                    continue;
                var unsubscribe = SubscriberLinks.Unsubscribe(baseUrl, links.Unseal(s.UnsubscribeTokenSealed));
                var (subject, text) = AlertText.Compose(m, s.Language, channel.Key, baseUrl, unsubscribe);
                batch.Add((row, new OutgoingAlert(row.MessageId, row.SubscriberId, s.Address, subject, text, unsubscribe)));
            }
            if (batch.Count == 0)
                continue;
            IReadOnlyList<string?> results;
            try
            {
                results = driver is null ? [.. batch.Select(_ => $"No driver for channel {channel.Key}.")] : await driver.SendAsync([.. batch.Select(b => b.Message)], ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "The {Channel} driver failed on a batch of {Count} alert deliveries", channel.Key, batch.Count);
                results = [.. batch.Select(_ => ex.Message)];
            }
            for (var i = 0; i < batch.Count; i++)
                outcomes.Add((batch[i].Row, results[i]));
        }
        await MarkAsync(outcomes, ct);
    }

    private async Task MarkAsync(List<(Claimed Row, string? Error)> outcomes, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var max = Math.Max(1, options.Value.MaxAttempts);
        var sent = outcomes.Where(o => o.Error is null).Select(o => o.Row).ToList();
        var failed = outcomes.Where(o => o.Error is not null).ToList();
        await using var connection = await OpenAsync(ct);
        if (sent.Count > 0)
        {
            await using var command = new NpgsqlCommand("""
                UPDATE alerts.alert_deliveries d SET state = 'sent', delivered_at = @now, claimed_until = NULL, last_error = NULL
                FROM unnest(@m, @s) AS x(m, s) WHERE d.message_id = x.m AND d.subscriber_id = x.s AND d.state = 'pending'
                """, connection);
            command.Parameters.Add(new NpgsqlParameter("now", now));
            command.Parameters.Add(Uuids("m", sent.Select(r => r.MessageId)));
            command.Parameters.Add(Uuids("s", sent.Select(r => r.SubscriberId)));
            await command.ExecuteNonQueryAsync(ct);
        }
        foreach (var (row, error) in failed)
        {
            var gaveUp = row.Attempts >= max;
            await using var command = new NpgsqlCommand("""
                UPDATE alerts.alert_deliveries SET state = @state, next_attempt_at = @next, claimed_until = NULL, last_error = @error
                WHERE message_id = @m AND subscriber_id = @s AND state = 'pending'
                """, connection);
            command.Parameters.Add(new NpgsqlParameter("state", gaveUp ? DeliveryStates.Failed : DeliveryStates.Pending));
            command.Parameters.Add(new NpgsqlParameter("next", now + Backoff(row.Attempts)));
            command.Parameters.Add(new NpgsqlParameter("error", error!.Length > 1000 ? error[..1000] : error));
            command.Parameters.Add(new NpgsqlParameter("m", row.MessageId));
            command.Parameters.Add(new NpgsqlParameter("s", row.SubscriberId));
            await command.ExecuteNonQueryAsync(ct);
            if (gaveUp)
                logger.LogError("Alert delivery {MessageId} to subscriber {SubscriberId} ({Channel}) failed after {Attempts} attempts: {Error}",
                    row.MessageId, row.SubscriberId, row.Channel, row.Attempts, error);
        }
    }

    /// <summary>2 s, 4 s, 8 s … at most 10 minutes after the attempt that failed.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(600, Math.Pow(2, Math.Clamp(attempts, 1, 10))));

    private static NpgsqlParameter Uuids(string name, IEnumerable<Guid> ids) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids.ToArray() };
}

/// <summary>The text of an alert message for one subscriber: in Spanish when they chose it and the alert has it; the unsubscribe link last.</summary>
internal static class AlertText
{
    public static (string Subject, string Text) Compose(PublicAlertMessage m, string language, string channel, string baseUrl, string unsubscribeUrl)
    {
        var spanish = language == "es" && !string.IsNullOrWhiteSpace(m.HeadlineEs);
        var headline = spanish ? m.HeadlineEs! : m.HeadlineEn;
        var instruction = spanish ? m.InstructionEs : m.InstructionEn;
        var description = spanish ? m.DescriptionEs : m.DescriptionEn;
        var text = new StringBuilder();
        text.Append(headline).Append('\n');
        if (channel == SubscriberChannels.Email)
        {
            text.Append('\n').Append(spanish ? "Zona: " : "Area: ").Append(m.AreaDescription).Append('\n');
            if (!string.IsNullOrWhiteSpace(description))
                text.Append('\n').Append(description).Append('\n');
        }
        if (!string.IsNullOrWhiteSpace(instruction))
            text.Append('\n').Append(instruction).Append('\n');
        text.Append('\n').Append(spanish ? "Más: " : "More: ").Append(baseUrl).Append("alerts\n");
        text.Append(spanish ? "Darse de baja: " : "Unsubscribe: ").Append(unsubscribeUrl).Append('\n');
        var prefix = m.MsgType switch { CapMessageTypes.Cancel => spanish ? "Cancelada" : "Cancelled", CapMessageTypes.Update => spanish ? "Actualización" : "Update", _ => spanish ? "Alerta" : "Alert" };
        return ($"{prefix}: {headline}", text.ToString());
    }
}

/// <summary>The delivery worker: sends due deliveries batch after batch; sleeps <see cref="SubscribersOptions.PollSeconds"/> when none are due.</summary>
internal sealed class SubscriberDeliveryWorker(IServiceScopeFactory scopes, IOptions<SubscribersOptions> options, SubscriberDeliverySignal signal,
    ILogger<SubscriberDeliveryWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SenderEnabled)
            return;
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                claimed = await scope.ServiceProvider.GetRequiredService<SubscriberDeliverySender>().DeliverDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Sending public-alert deliveries failed; trying again shortly");
            }
            if (claimed == 0)
            {
                try
                {
                    await signal.WaitAsync(TimeSpan.FromSeconds(Math.Max(0.05, options.Value.PollSeconds)), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
