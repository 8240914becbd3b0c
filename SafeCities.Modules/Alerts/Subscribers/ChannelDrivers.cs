using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Npgsql;
using NpgsqlTypes;
using SafeCities.Modules.Alerts.Data;

namespace SafeCities.Modules.Alerts.Subscribers;

/// <summary>One message for one subscriber. <see cref="MessageId"/> is <see cref="Guid.Empty"/> for a confirmation request.</summary>
internal sealed record OutgoingAlert(Guid MessageId, Guid SubscriberId, string Address, string Subject, string Text, string? UnsubscribeUrl);

/// <summary>Sends messages over one channel; answers, per message in order, null when it was handed over or why not.</summary>
internal interface IAlertChannelDriver
{
    string Channel { get; }

    Task<IReadOnlyList<string?>> SendAsync(IReadOnlyList<OutgoingAlert> messages, CancellationToken ct);
}

/// <summary>
/// E-mail through an SMTP server (MailKit): one connection per batch, one message per subscriber with a deterministic Message-ID
/// (<c>&lt;alert-{message}.{subscriber}@…&gt;</c>, the same on a retry) and <c>List-Unsubscribe</c> (RFC 2369/8058) next to the link in the text.
/// </summary>
internal sealed class SmtpAlertDriver(IOptions<SubscribersOptions> options) : IAlertChannelDriver
{
    public string Channel => SubscriberChannels.Email;

    public async Task<IReadOnlyList<string?>> SendAsync(IReadOnlyList<OutgoingAlert> messages, CancellationToken ct)
    {
        var o = options.Value.Smtp;
        var results = new string?[messages.Count];
        using var client = new SmtpClient { Timeout = Math.Max(1, o.TimeoutSeconds) * 1000 };
        try
        {
            await client.ConnectAsync(o.Host, o.Port, Enum.Parse<SecureSocketOptions>(o.Security, ignoreCase: true), ct);
            if (!string.IsNullOrEmpty(o.UserName))
                await client.AuthenticateAsync(o.UserName, o.Password, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Array.Fill(results, $"SMTP {o.Host}:{o.Port}: {ex.Message}");
            return results;
        }
        var domain = MailboxAddress.Parse(o.From).Domain;
        for (var i = 0; i < messages.Count; i++)
        {
            var m = messages[i];
            try
            {
                var mail = new MimeMessage { Subject = m.Subject, MessageId = $"alert-{m.MessageId:N}.{m.SubscriberId:N}@{domain}" };
                mail.From.Add(new MailboxAddress(o.FromName, o.From));
                mail.To.Add(MailboxAddress.Parse(m.Address));
                if (m.UnsubscribeUrl is not null)
                {
                    mail.Headers.Add("List-Unsubscribe", $"<{m.UnsubscribeUrl}>");
                }
                mail.Body = new TextPart("plain") { Text = m.Text };
                await client.SendAsync(mail, ct);
            }
            catch (Exception ex) when (ex is SmtpCommandException or ParseException or FormatException)
            {
                results[i] = "SMTP: " + ex.Message;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The connection is gone: this and the rest were not handed over.
                for (var j = i; j < messages.Count; j++)
                    results[j] = "SMTP: " + ex.Message;
                return results;
            }
        }
        await client.DisconnectAsync(true, ct);
        return results;
    }
}

/// <summary>
/// A driver for a channel whose gateway is not connected here (an SMS aggregator, a web-push service): it records each message in
/// <c>alerts.alert_simulated_deliveries</c>, counting every hand-over of the same (message, subscriber) in <c>sends</c> — a duplicate shows.
/// </summary>
internal abstract class SimulatedAlertDriver(AlertsDbContext db, TimeProvider clock) : IAlertChannelDriver
{
    public abstract string Channel { get; }

    public async Task<IReadOnlyList<string?>> SendAsync(IReadOnlyList<OutgoingAlert> messages, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var close = connection.State != System.Data.ConnectionState.Open;
        if (close)
            await connection.OpenAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO alerts.alert_simulated_deliveries (message_id, subscriber_id, channel, address, text, sends, first_at, last_at)
                SELECT m, s, @channel, a, t, 1, @now, @now FROM unnest(@m, @s, @a, @t) AS x(m, s, a, t)
                ON CONFLICT (message_id, subscriber_id) DO UPDATE SET sends = alert_simulated_deliveries.sends + 1, last_at = excluded.last_at
                """, connection);
            command.Parameters.Add(new NpgsqlParameter("channel", Channel));
            command.Parameters.Add(new NpgsqlParameter("now", clock.GetUtcNow()));
            command.Parameters.Add(new NpgsqlParameter("m", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = messages.Select(m => m.MessageId).ToArray() });
            command.Parameters.Add(new NpgsqlParameter("s", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = messages.Select(m => m.SubscriberId).ToArray() });
            command.Parameters.Add(new NpgsqlParameter("a", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = messages.Select(m => m.Address).ToArray() });
            command.Parameters.Add(new NpgsqlParameter("t", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = messages.Select(m => m.Text).ToArray() });
            await command.ExecuteNonQueryAsync(ct);
        }
        finally
        {
            if (close)
                await connection.CloseAsync();
        }
        return new string?[messages.Count];
    }
}

internal sealed class SimulatedSmsDriver(AlertsDbContext db, TimeProvider clock) : SimulatedAlertDriver(db, clock)
{
    public override string Channel => SubscriberChannels.Sms;
}

internal sealed class SimulatedPushDriver(AlertsDbContext db, TimeProvider clock) : SimulatedAlertDriver(db, clock)
{
    public override string Channel => SubscriberChannels.Push;
}
