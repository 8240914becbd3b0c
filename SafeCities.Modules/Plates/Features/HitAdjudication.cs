using Microsoft.Extensions.Options;
using Npgsql;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Input;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Outbox;
using SafeCities.Modules.Shared.Time;

namespace SafeCities.Modules.Plates.Features;

// ---- confirm or reject a hit (ADR 0043) ---------------------------------------------------------------------------------------

internal sealed class DecideHotlistHitCommandValidator : AbstractValidator<DecideHotlistHitCommand>
{
    public DecideHotlistHitCommandValidator()
    {
        RuleFor(c => c.HitId).NotEmpty();
        RuleFor(c => c.By).NotEmpty().MaximumLength(256);
        RuleFor(c => c.Decision).Must(d => d is not null && HitDecisions.Decided.Contains(d))
            .WithMessage($"'Decision' must be one of: {string.Join(", ", HitDecisions.Decided)}.");
        RuleFor(c => c.Reason).NotEmpty().WithMessage("Choose a reason.")
            .Must((c, r) => HitDecisionReasons.For(c.Decision).Any(x => x.Code == r)).When(c => !string.IsNullOrEmpty(c.Reason) && HitDecisions.Decided.Contains(c.Decision!), ApplyConditionTo.CurrentValidator)
            .WithMessage(c => $"'Reason' must be one of: {string.Join(", ", HitDecisionReasons.For(c.Decision).Select(x => x.Code))}.");
        RuleFor(c => c.Notes).NotEmpty().When(c => c.Reason == HitDecisionReasons.Other).WithMessage("Say what the other reason is in 'Notes'.");
        RuleFor(c => c.Notes).MaximumLength(2000)
            .Must(t => t is null || InputRules.TextRefusal(t) is null).WithMessage((_, t) => $"The notes {InputRules.TextRefusal(t)}");
    }
}

internal sealed class DecideHotlistHitCommandHandler(PlatesDbContext db, OutboxDelivery delivery, TimeProvider clock) : ICommandHandler<DecideHotlistHitCommand, HotlistHitDto>
{
    public async ValueTask<HotlistHitDto> Handle(DecideHotlistHitCommand c, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var notes = string.IsNullOrWhiteSpace(c.Notes) ? null : c.Notes.Trim();
        OutboxMessage? decided = null;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // One decision per hit, also when two people press at once.
            var hit = await db.HotlistHits.FromSql($"SELECT * FROM plates.hotlist_hits WHERE id = {c.HitId} FOR UPDATE").FirstOrDefaultAsync(ct)
                      ?? throw new DomainRuleException("No such hit.", 404);
            if (hit.Decide(c.Decision!, c.Reason!, notes, c.By, now))
            {
                // With the decision, in Plates' outbox: Alerts' part (the incident's timeline; closing it for a rejection) is not lost when
                // this node dies after the commit or Alerts fails — it was published after the commit, and a decision is final, so a
                // second request changed nothing and published nothing (ADR 0043).
                decided = db.AddOutboxMessage(new HotlistHitDecidedEvent(Guid.CreateVersion7(), hit.Id, hit.Decision, hit.DecisionReason!,
                    HitDecisionReasons.Label(hit.Decision, hit.DecisionReason), notes, c.By, now, hit.ReadPlate), deliveredByCaller: true);
                await db.SaveChangesAsync(ct);
                await db.AuditAsync(c.By, "Plates", "hit-" + (c.Decision == HitDecisions.Confirmed ? "confirm" : "reject"), null,
                    new { hit.Id, hit.HotlistId, hit.ReaderId, hit.MatchKind, decision = c.Decision, reason = c.Reason, notes }, now, ct);
            }
            await tx.CommitAsync(ct);
        }
        // Before the answer, so the incident shows the decision when the page reloads; a failure is recorded and retried by the outbox.
        if (decided is not null)
            await delivery.DeliverAsync(typeof(PlatesDbContext), decided, ct);
        return (await ListHotlistHitsQueryHandler.LoadAsync(db, new ListHotlistHitsQuery(c.SeesRestricted, null, 1), [c.HitId], ct))[0];
    }
}

internal sealed class GetHotlistHitsQueryHandler(PlatesDbContext db) : IQueryHandler<GetHotlistHitsQuery, IReadOnlyList<HotlistHitDto>>
{
    public async ValueTask<IReadOnlyList<HotlistHitDto>> Handle(GetHotlistHitsQuery q, CancellationToken ct)
    {
        if (q.HitIds.Count == 0)
            return [];
        var hits = await ListHotlistHitsQueryHandler.LoadAsync(db, new ListHotlistHitsQuery(q.SeesRestricted, null, 1000), q.HitIds.Distinct().ToArray(), ct);
        return hits.OrderBy(h => h.CapturedAt).ToList();
    }
}

// ---- statistics -----------------------------------------------------------------------------------------------------------------

internal sealed class GetHitStatisticsQueryValidator : MonthlyPeriodValidator<GetHitStatisticsQuery>;

/// <summary>
/// Per month (city time), reader, list and match kind: hits, confirmed, rejected by reason; reads per reader and month; per reader over the
/// period, the share of decided hits rejected as "plate misread", flagged when high (<see cref="HotlistOptions.MisreadFlagRate"/>).
/// </summary>
internal sealed class GetHitStatisticsQueryHandler(PlatesDbContext db, IOptions<HotlistOptions> options) : IQueryHandler<GetHitStatisticsQuery, HitStatisticsDto>
{
    public async ValueTask<HitStatisticsDto> Handle(GetHitStatisticsQuery q, CancellationToken ct)
    {
        var rows = new Dictionary<(string Month, Guid Reader, Guid List, string Kind), (int Hits, int Confirmed, Dictionary<string, int> Rejected)>();
        var reads = new List<ReaderMonthReadsDto>();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            const string Month = "to_char({0} AT TIME ZONE $3, 'YYYY-MM')"; // the month in the city's zone
            await using (var cmd = new NpgsqlCommand($"""
                SELECT {string.Format(Month, "captured_at")}, reader_id, hotlist_id, match_kind, decision, coalesce(decision_reason, ''), count(*)::int
                FROM plates.hotlist_hits WHERE captured_at >= $1 AND captured_at < $2 AND NOT retroactive GROUP BY 1, 2, 3, 4, 5, 6
                """, connection) { CommandTimeout = 120 })
            {
                cmd.Parameters.Add(new() { Value = q.From.UtcDateTime });
                cmd.Parameters.Add(new() { Value = q.To.UtcDateTime });
                cmd.Parameters.Add(new() { Value = q.TimeZone });
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                {
                    var key = (r.GetString(0), r.GetGuid(1), r.GetGuid(2), r.GetString(3));
                    var row = rows.TryGetValue(key, out var x) ? x : (0, 0, new Dictionary<string, int>());
                    var n = r.GetInt32(6);
                    row.Item1 += n;
                    if (r.GetString(4) == HitDecisions.Confirmed)
                        row.Item2 += n;
                    else if (r.GetString(4) == HitDecisions.Rejected)
                        row.Item3[r.GetString(5)] = row.Item3.GetValueOrDefault(r.GetString(5)) + n;
                    rows[key] = row;
                }
            }
            if (q.CountReads)
            {
                await using var cmd = new NpgsqlCommand($"""
                    SELECT {string.Format(Month, "captured_at")}, reader_id, count(*) FROM plates.plate_reads
                    WHERE captured_at >= $1 AND captured_at < $2 GROUP BY 1, 2
                    """, connection) { CommandTimeout = 120 };
                cmd.Parameters.Add(new() { Value = q.From.UtcDateTime });
                cmd.Parameters.Add(new() { Value = q.To.UtcDateTime });
                cmd.Parameters.Add(new() { Value = q.TimeZone });
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                    reads.Add(new ReaderMonthReadsDto(r.GetString(0), r.GetGuid(1), r.GetInt64(2)));
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        var readerIds = rows.Keys.Select(k => k.Reader).Concat(reads.Select(r => r.ReaderId)).Distinct().ToList();
        var readers = await db.Readers.AsNoTracking().Where(r => readerIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Name, ct);
        var listIds = rows.Keys.Select(k => k.List).Distinct().ToList();
        var lists = await db.Hotlists.AsNoTracking().Where(l => listIds.Contains(l.Id)).ToDictionaryAsync(l => l.Id, l => l.Name, ct);
        var o = options.Value;
        var rowDtos = rows.OrderByDescending(r => r.Key.Month).ThenBy(r => readers.GetValueOrDefault(r.Key.Reader, "")).ThenBy(r => r.Key.Kind)
            .Select(r => new HitStatisticsRowDto(r.Key.Month, r.Key.Reader, readers.GetValueOrDefault(r.Key.Reader, "reader"), r.Key.List,
                lists.GetValueOrDefault(r.Key.List, "list"), r.Key.Kind, r.Value.Hits, r.Value.Confirmed, r.Value.Rejected.Values.Sum(), r.Value.Rejected))
            .ToList();
        var perReader = readerIds.Select(id =>
        {
            var mine = rowDtos.Where(r => r.ReaderId == id).ToList();
            int hits = mine.Sum(r => r.Hits), confirmed = mine.Sum(r => r.Confirmed), rejected = mine.Sum(r => r.Rejected);
            var misreads = mine.Sum(r => r.RejectedByReason.GetValueOrDefault(HitDecisionReasons.PlateMisread));
            var decided = confirmed + rejected;
            double? rate = decided == 0 ? null : (double)misreads / decided;
            return new ReaderHitStatisticsDto(id, readers.GetValueOrDefault(id, "reader"), reads.Where(r => r.ReaderId == id).Sum(r => r.Reads), hits,
                confirmed, rejected, misreads, rate, decided >= o.MisreadFlagMinDecided && rate >= o.MisreadFlagRate);
        }).OrderByDescending(r => r.HighMisreadRate).ThenByDescending(r => r.MisreadRate ?? -1).ThenBy(r => r.ReaderName).ToList();
        return new HitStatisticsDto(q.From, q.To, q.TimeZone, rowDtos, perReader, reads, o.MisreadFlagRate, o.MisreadFlagMinDecided);
    }
}
