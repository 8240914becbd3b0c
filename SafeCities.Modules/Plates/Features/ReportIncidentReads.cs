using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Domain;

namespace SafeCities.Modules.Plates.Features;

/// <summary>
/// Reports linking passes to the incident timeline: one <see cref="IncidentReadsCapturedEvent"/> per pass, whose id is the
/// pass id (so a repeat is recorded once), then marks the pass reported. Passes whose report failed are picked up again by
/// <see cref="ReportIncidentReadsJob"/> or by the next run of the incident's reaction.
/// </summary>
internal sealed class IncidentReadsReporter(PlatesDbContext db, IPublisher publisher, TimeProvider clock)
{
    public async Task ReportAsync(IReadOnlyCollection<Guid> passIds, CancellationToken ct)
    {
        if (passIds.Count == 0)
            return;
        var ids = passIds.ToArray();
        var rows = await (
                from link in db.IncidentReads.Where(l => ids.Contains(l.PassId) && l.ReportedAt == null)
                join read in db.Reads on link.PlateReadId equals read.Id
                join reader in db.Readers on read.ReaderId equals reader.Id into readers
                from reader in readers.DefaultIfEmpty()
                select new
                {
                    link.PassId, link.IncidentId, link.LinkedAt,
                    Line = new LinkedReadLine(read.Plate, read.Region, read.CapturedAt, read.Make, read.Model, read.Color, reader == null ? "an unknown reader" : reader.Name),
                })
            .AsNoTracking().ToListAsync(ct);
        foreach (var pass in rows.GroupBy(r => (r.PassId, r.IncidentId)).OrderBy(p => p.Min(r => r.LinkedAt)))
        {
            var lines = pass.Select(r => r.Line).ToList();
            var plates = lines.Select(l => l.Plate).Distinct().Order(StringComparer.Ordinal).ToArray();
            await publisher.Publish(new IncidentReadsCapturedEvent(pass.Key.PassId, pass.Key.IncidentId, pass.Max(r => r.LinkedAt), lines.Count, plates,
                ReactionText.Captured(lines)), ct);
            var now = clock.GetUtcNow();
            await db.IncidentReads.Where(l => l.PassId == pass.Key.PassId && l.ReportedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.ReportedAt, now), ct);
        }
    }

    /// <summary>Reports every unreported pass linked before <paramref name="linkedBefore"/> (of one incident, or of all).</summary>
    public async Task<int> ReportPendingAsync(Guid? incidentId, DateTimeOffset linkedBefore, CancellationToken ct)
    {
        var pending = await db.IncidentReads.Where(l => l.ReportedAt == null && l.LinkedAt <= linkedBefore && (incidentId == null || l.IncidentId == incidentId))
            .Select(l => l.PassId).Distinct().OrderBy(p => p).Take(500).ToListAsync(ct);
        await ReportAsync(pending, ct);
        return pending.Count;
    }
}

/// <summary>Recurring sweep ("plates:report-reads"): linked reads whose timeline report never went out (crash, failing handler).</summary>
internal sealed class ReportIncidentReadsJob(IncidentReadsReporter reporter, TimeProvider clock, IOptions<PlatesOptions> options,
    ILogger<ReportIncidentReadsJob> logger)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var reported = await reporter.ReportPendingAsync(null, clock.GetUtcNow().AddSeconds(-options.Value.ReportRetryAfterSeconds), cancellationToken);
        if (reported > 0)
            logger.LogWarning("Reported {Passes} linking passes whose timeline report had not gone out", reported);
        return reported;
    }
}
