using Npgsql;

namespace SafeCities.Tests.Infrastructure;

/// <summary>One reaction report as a module's outbox holds it; <see cref="PublishedAt"/> is when the outbox delivered it.</summary>
internal sealed record OutboxReport(Guid Id, string Kind, string Text, DateTimeOffset At, DateTimeOffset? PublishedAt);

/// <summary>Reads modules' outboxes (<c>&lt;schema&gt;.outbox_messages</c>); delivery runs after commit, so the readers wait for it.</summary>
internal static class OutboxTestKit
{
    /// <summary>Polls <paramref name="sql"/> (a count) until it answers <paramref name="expected"/> or 10 s pass; returns the last answer.</summary>
    public static async Task<long> CountEventuallyAsync(this AppFixture app, string sql, long expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var count = await app.CountAsync(sql);
            if (count == expected || DateTime.UtcNow > deadline)
                return count;
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// The reaction reports of one incident in a module's outbox, ordered as the timeline orders them (time, id), once each was
    /// delivered (or after 10 s, with <see cref="OutboxReport.PublishedAt"/> still null for what was not).
    /// </summary>
    public static async Task<List<OutboxReport>> OutboxReportsAsync(this AppFixture app, string schema, Guid incidentId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var reports = new List<OutboxReport>();
            await using (var db = new NpgsqlConnection(app.ConnectionString))
            {
                await db.OpenAsync();
                await using var command = new NpgsqlCommand($"""
                    SELECT id, payload->>'kind', payload->>'text', (payload->>'at')::timestamptz, dispatched_at
                    FROM {schema}.outbox_messages
                    WHERE type = 'SafeCities.Modules.Alerts.Contracts.IncidentReactionReportedEvent' AND payload->>'incidentId' = @incident
                    ORDER BY (payload->>'at')::timestamptz, id
                    """, db);
                command.Parameters.AddWithValue("incident", incidentId.ToString());
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                    reports.Add(new OutboxReport(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                        reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4)));
            }
            if (reports.All(r => r.PublishedAt is not null) || DateTime.UtcNow > deadline)
                return reports;
            await Task.Delay(50);
        }
    }
}
