using Mediator;
using Microsoft.EntityFrameworkCore;
using SafeCities.Modules.Lighting.Contracts;
using SafeCities.Modules.Lighting.Data;
using SafeCities.Modules.Lighting.Domain;

namespace SafeCities.Modules.Lighting.Features;

internal static class ReportKinds
{
    public const string LightsBrightened = "LightsBrightened";
    public const string LightsRestored = "LightsRestored";
    public const string LightingSkipped = "LightingSkipped";
    public const string LightingFailed = "LightingFailed";
}

/// <summary>
/// Timeline reports: added to the context with the change they describe (same transaction), published after commit, then marked.
/// Whatever a crash left unpublished goes out again (same ids, so Alerts records each once).
/// </summary>
internal sealed class ReactionReporter(LightingDbContext db, IPublisher publisher, TimeProvider clock)
{
    public ReactionReport Add(Guid incidentId, string kind, string text)
    {
        var report = new ReactionReport { Id = Guid.CreateVersion7(), IncidentId = incidentId, Kind = kind, Text = text, At = clock.GetUtcNow() };
        db.Reports.Add(report);
        return report;
    }

    public async Task PublishAsync(IReadOnlyList<ReactionReport> reports, CancellationToken ct)
    {
        foreach (var report in reports.OrderBy(r => r.At).ThenBy(r => r.Id))
        {
            await (report.Kind switch
            {
                ReportKinds.LightsBrightened => publisher.Publish(new LightsBrightenedEvent(report.Id, report.IncidentId, report.At, report.Text), ct),
                ReportKinds.LightsRestored => publisher.Publish(new LightsRestoredEvent(report.Id, report.IncidentId, report.At, report.Text), ct),
                ReportKinds.LightingSkipped => publisher.Publish(new LightingSkippedEvent(report.Id, report.IncidentId, report.At, report.Text), ct),
                _ => publisher.Publish(new LightingFailedEvent(report.Id, report.IncidentId, report.At, report.Text), ct),
            });
            report.PublishedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>Publishes what is still unpublished for one incident, or (incident null) everything older than <paramref name="olderThan"/>.</summary>
    public async Task<int> PublishPendingAsync(Guid? incidentId, DateTimeOffset? olderThan, CancellationToken ct)
    {
        var pending = await db.Reports.Where(r => r.PublishedAt == null)
            .Where(r => incidentId == null || r.IncidentId == incidentId)
            .Where(r => olderThan == null || r.At <= olderThan)
            .OrderBy(r => r.At).Take(500).ToListAsync(ct);
        await PublishAsync(pending, ct);
        return pending.Count;
    }
}
