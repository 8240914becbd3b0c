using SafeCities.Modules.Shared.Csv;
using System.Globalization;
using System.Text;
using FluentValidation;
using Hangfire;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Domain;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Caching;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Modules.Plates.Features;

// ---- matcher cache, hit recording, look-back ---------------------------------------------------------------------------

/// <summary>
/// The compiled matcher of the active entries, per node, built by one caller at a time; any change on any node drops it (and it is
/// rebuilt after a while anyway, for entries that expire).
/// </summary>
internal sealed class HotlistMatcherCache(CacheInvalidation cache, TimeProvider clock, IOptions<HotlistOptions> options)
{
    private const string Key = "plates:hotlist-matcher";
    private readonly SemaphoreSlim _gate = new(1, 1);

    public Task InvalidateAsync() => cache.InvalidateAsync(Key);

    public async Task<PlateMatcher> GetAsync(PlatesDbContext db, CancellationToken ct)
    {
        if (cache.TryGet(Key, out PlateMatcher? current))
            return current!;
        await _gate.WaitAsync(ct);
        try
        {
            return await cache.GetOrLoadAsync(Key, TimeSpan.FromSeconds(options.Value.MatcherCacheSeconds),
                async c => new PlateMatcher(await HotlistQueries.ActiveEntries(db, clock.GetUtcNow()).ToListAsync(c)), ct);
        }
        finally
        {
            _gate.Release();
        }
    }
}

internal static class HotlistQueries
{
    public static IQueryable<MatchableEntry> ActiveEntries(PlatesDbContext db, DateTimeOffset now) =>
        from e in db.HotlistEntries
        join h in db.Hotlists on e.HotlistId equals h.Id
        where e.WithdrawnAt == null && (e.ExpiresAt == null || e.ExpiresAt > now) && (h.ExpiresAt == null || h.ExpiresAt > now)
        select new MatchableEntry(e.Id, e.HotlistId, e.Plate, e.Region,
            e.ExpiresAt == null ? h.ExpiresAt : h.ExpiresAt == null ? e.ExpiresAt : e.ExpiresAt < h.ExpiresAt ? e.ExpiresAt : h.ExpiresAt);

    public static HotlistDto ToDto(this Hotlist h, int active) =>
        new(h.Id, h.Name, h.Kind, h.AlertLevel, h.Reason, h.Owner, h.Visibility, h.ExpiresAt, h.CreatedAt, h.CreatedBy, h.ImportedAt, active);

    public static HotlistEntryDto ToDto(this HotlistEntry e, int retroactiveHits = 0) =>
        new(e.Id, e.HotlistId, e.Plate, e.Region, e.Reason, e.Reference, e.Description, e.ExpiresAt, e.AddedAt, e.WithdrawnAt, retroactiveHits);
}

/// <summary>A read that matched, as the recorder needs it.</summary>
internal sealed record MatchedRead(Guid ReadId, Guid ReaderId, string Plate, string Region, DateTimeOffset CapturedAt, double Latitude, double Longitude);

/// <summary>Stores hits once per entry and read (a repeat is ignored) and publishes <see cref="HotlistHitEvent"/> for each new one.</summary>
internal sealed class HotlistHitRecorder(PlatesDbContext db, IPublisher publisher, TimeProvider clock)
{
    public async Task<int> RecordAsync(IReadOnlyList<(PlateMatch Match, MatchedRead Read)> hits, bool retroactive, CancellationToken ct)
    {
        if (hits.Count == 0)
            return 0;
        var now = clock.GetUtcNow();
        var listIds = hits.Select(h => h.Match.Entry.HotlistId).Distinct().ToList();
        var lists = await db.Hotlists.AsNoTracking().Where(h => listIds.Contains(h.Id)).ToDictionaryAsync(h => h.Id, ct);
        var entryIds = hits.Select(h => h.Match.Entry.EntryId).Distinct().ToList();
        var entries = await db.HotlistEntries.AsNoTracking().Where(e => entryIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, ct);
        var readerIds = hits.Select(h => h.Read.ReaderId).Distinct().ToList();
        var readers = await db.Readers.AsNoTracking().Where(r => readerIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Name, ct);
        var events = new List<HotlistHitEvent>();
        foreach (var (match, read) in hits)
        {
            if (!lists.TryGetValue(match.Entry.HotlistId, out var list) || !entries.TryGetValue(match.Entry.EntryId, out var entry))
                continue;
            var id = Guid.CreateVersion7();
            var inserted = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO plates.hotlist_hits (id, hotlist_id, entry_id, plate_read_id, reader_id, read_plate, entry_plate, region, match_kind,
                                                 captured_at, latitude, longitude, detected_at, retroactive)
                VALUES ({id}, {list.Id}, {entry.Id}, {read.ReadId}, {read.ReaderId}, {read.Plate}, {entry.Plate}, {read.Region}, {match.Kind},
                        {read.CapturedAt}, {read.Latitude}, {read.Longitude}, {now}, {retroactive})
                ON CONFLICT (entry_id, plate_read_id) DO NOTHING
                """, ct);
            if (inserted == 0)
                continue;
            var reason = entry.Reason ?? list.Reason;
            events.Add(new HotlistHitEvent(id, list.Id, list.Name, list.AlertLevel, list.Visibility, list.Owner,
                list.Visibility == HotlistVisibility.Restricted ? null : reason + (entry.Description is null ? "" : $" ({entry.Description})"),
                entry.Plate, read.Plate, read.Region, match.Kind, read.ReaderId, readers.GetValueOrDefault(read.ReaderId, "reader"), read.Latitude,
                read.Longitude, read.CapturedAt, retroactive));
        }
        foreach (var e in events)
            await publisher.Publish(e, ct);
        return events.Count;
    }
}

/// <summary>Checks newly listed plates against the last <see cref="HotlistOptions.RetroactiveDays"/> days of reads.</summary>
internal sealed class RetroactiveHotlistCheck(PlatesDbContext db, HotlistHitRecorder recorder, IOptions<HotlistOptions> options, TimeProvider clock)
{
    public async Task<int> RunAsync(IReadOnlyList<MatchableEntry> entries, CancellationToken ct)
    {
        if (entries.Count == 0)
            return 0;
        var now = clock.GetUtcNow();
        var since = now.AddDays(-options.Value.RetroactiveDays);
        var extra = entries.Count <= options.Value.RetroactiveExtraCharacterLimit;
        var folded = new HashSet<string>(StringComparer.Ordinal);
        var likes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            if (PlateMatcher.IsWildcard(e.Plate))
            {
                likes.Add(PlateMatcher.ToLike(e.Plate));
                continue;
            }
            var f = PlateMatcher.Fold(e.Plate);
            folded.Add(f);
            if (f.Length >= PlateMatcher.MinTolerantLength + 1)
                folded.UnionWith(PlateMatcher.Deletions(f));
            if (extra && f.Length >= PlateMatcher.MinTolerantLength)
                folded.UnionWith(PlateMatcher.Insertions(f));
        }
        var foldedArr = folded.ToArray();
        var likesArr = likes.ToArray();
        var reads = await db.Reads.FromSql($"""
                SELECT * FROM plates.plate_reads
                WHERE captured_at >= {since} AND (translate(plate, 'OIBSZ', '01852') = ANY({foldedArr}) OR plate LIKE ANY({likesArr}))
                """)
            .AsNoTracking().Select(r => new MatchedRead(r.Id, r.ReaderId, r.Plate, r.Region, r.CapturedAt, r.Latitude, r.Longitude)).ToListAsync(ct);
        var matcher = new PlateMatcher(entries);
        var hits = reads.SelectMany(r => matcher.Match(r.Plate, r.Region, now).Select(m => (m, r))).ToList();
        return await recorder.RecordAsync(hits, retroactive: true, ct);
    }
}

/// <summary>
/// Matches every newly stored read against the active hotlists. A failure never fails the acknowledged batch (the reads are
/// committed): the batch is handed to a Hangfire job (stored in PostgreSQL) that matches it again; hits are one per entry and read,
/// so a retry never raises one twice.
/// </summary>
internal sealed class MatchHotlistsOnIngestionHandler(HotlistMatchRunner runner, IBackgroundJobClient jobs, ILogger<MatchHotlistsOnIngestionHandler> logger)
    : INotificationHandler<PlateReadsStored>
{
    public async ValueTask Handle(PlateReadsStored stored, CancellationToken cancellationToken)
    {
        try
        {
            await runner.RunAsync(stored, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Hotlist matching of {Reads} reads from reader {ReaderId} failed; queued for a retry", stored.Reads.Count, stored.ReaderId);
            var job = HotlistMatchRunner.ForRetry(stored);
            jobs.Schedule<HotlistMatchRunner>(r => r.RetryAsync(job, CancellationToken.None), TimeSpan.FromSeconds(30));
        }
    }
}

internal sealed class HotlistMatchRunner(PlatesDbContext db, HotlistMatcherCache cache, HotlistHitRecorder recorder, TimeProvider clock)
{
    public async Task RunAsync(PlateReadsStored stored, CancellationToken ct)
    {
        var matcher = await cache.GetAsync(db, ct);
        if (matcher.Count == 0)
            return;
        var now = clock.GetUtcNow();
        var hits = stored.Reads.SelectMany(r => matcher.Match(r.Plate, r.Region, now).Select(m =>
            (m, new MatchedRead(r.Id, stored.ReaderId, r.Plate, r.Region, r.CapturedAt, stored.ReaderLatitude, stored.ReaderLongitude)))).ToList();
        await recorder.RecordAsync(hits, retroactive: false, ct);
    }

    /// <summary>The batch as the job storage can give it back (a concrete List: Hangfire records the runtime type of each value).</summary>
    public static PlateReadsStored ForRetry(PlateReadsStored stored) => stored with { Reads = stored.Reads.ToList() };

    /// <summary>The Hangfire retry (Hangfire retries again on failure).</summary>
    public Task RetryAsync(PlateReadsStored stored, CancellationToken ct) => RunAsync(stored, ct);
}

// ---- hotlists and entries ----------------------------------------------------------------------------------------------

internal sealed class CreateHotlistCommandValidator : AbstractValidator<CreateHotlistCommand>
{
    public CreateHotlistCommandValidator(TimeProvider clock)
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(120);
        RuleFor(c => c.Kind).NotEmpty().Must(k => HotlistKinds.All.Contains(k) && k != HotlistKinds.Intelligence)
            .WithMessage($"'kind' must be one of {string.Join(", ", HotlistKinds.All.Where(k => k != HotlistKinds.Intelligence))}.");
        RuleFor(c => c.AlertLevel).NotEmpty().Must(l => AlertLevels.All.Contains(l)).WithMessage("'alertLevel' must be high, medium or low.");
        RuleFor(c => c.Reason).NotEmpty().MaximumLength(300);
        RuleFor(c => c.Owner).NotEmpty().MaximumLength(120);
        RuleFor(c => c.Visibility).NotEmpty().Must(v => HotlistVisibility.All.Contains(v)).WithMessage("'visibility' must be all-staff or restricted.");
        RuleFor(c => c.ExpiresAt).Custom((at, context) =>
        {
            if (at is { } e && HotlistExpiry.Refusal(e, clock.GetUtcNow()) is { } why)
                context.AddFailure($"'expiresAt' {why}");
        });
    }
}

internal sealed class CreateHotlistCommandHandler(PlatesDbContext db, TimeProvider clock) : ICommandHandler<CreateHotlistCommand, HotlistDto>
{
    public async ValueTask<HotlistDto> Handle(CreateHotlistCommand c, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var list = new Hotlist
        {
            Id = Guid.CreateVersion7(), Name = c.Name!.Trim(), Kind = c.Kind!, AlertLevel = c.AlertLevel!, Reason = c.Reason!.Trim(), Owner = c.Owner!.Trim(),
            Visibility = c.Visibility!, ExpiresAt = c.ExpiresAt, CreatedAt = now, CreatedBy = c.By,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Hotlists.Add(list);
        await db.SaveChangesAsync(ct);
        await db.AuditAsync(c.By, "Plates", "hotlist-create", null, list.ToDto(0), now, ct);
        await tx.CommitAsync(ct);
        return list.ToDto(0);
    }
}

internal sealed class ListHotlistsQueryHandler(PlatesDbContext db, TimeProvider clock) : IQueryHandler<ListHotlistsQuery, IReadOnlyList<HotlistDto>>
{
    public async ValueTask<IReadOnlyList<HotlistDto>> Handle(ListHotlistsQuery query, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var counts = await db.HotlistEntries.Where(e => e.WithdrawnAt == null && (e.ExpiresAt == null || e.ExpiresAt > now))
            .GroupBy(e => e.HotlistId).Select(g => new { g.Key, N = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.N, ct);
        var lists = await db.Hotlists.AsNoTracking().OrderBy(h => h.Name).ToListAsync(ct);
        return lists.Select(h => h.ToDto(counts.GetValueOrDefault(h.Id))).ToList();
    }
}

internal sealed class AddHotlistEntryCommandValidator : AbstractValidator<AddHotlistEntryCommand>
{
    public AddHotlistEntryCommandValidator(TimeProvider clock)
    {
        RuleFor(c => c.Plate).NotEmpty().Must(PlateMatcher.IsValidEntry)
            .WithMessage("'plate' must be 1–10 letters, digits, '*' (any run) or '?' (one character), with at least two letters or digits.");
        RuleFor(c => c.Region).MaximumLength(8);
        RuleFor(c => c.Reason).MaximumLength(300);
        RuleFor(c => c.Reference).MaximumLength(64);
        RuleFor(c => c.Description).MaximumLength(200);
        RuleFor(c => c.ExpiresAt).Custom((at, context) =>
        {
            if (at is { } e && HotlistExpiry.Refusal(e, clock.GetUtcNow()) is { } why)
                context.AddFailure($"'expiresAt' {why}");
        });
    }
}

internal sealed class AddHotlistEntryCommandHandler(PlatesDbContext db, HotlistMatcherCache cache, RetroactiveHotlistCheck lookBack, TimeProvider clock)
    : ICommandHandler<AddHotlistEntryCommand, HotlistEntryDto>
{
    public async ValueTask<HotlistEntryDto> Handle(AddHotlistEntryCommand c, CancellationToken ct)
    {
        var list = await db.Hotlists.FindAsync([c.HotlistId], ct) ?? throw new DomainRuleException("No such hotlist.", 404);
        if (list.Kind == HotlistKinds.Intelligence)
            throw new DomainRuleException("Intelligence's hotlist is kept by Intelligence's requests.", 409);
        var now = clock.GetUtcNow();
        var entry = new HotlistEntry
        {
            Id = Guid.CreateVersion7(), HotlistId = list.Id, Plate = PlateNumber.Normalize(c.Plate)!, Region = Clean(c.Region)?.ToUpperInvariant(),
            Reason = Clean(c.Reason), Reference = Clean(c.Reference), Description = Clean(c.Description), ExpiresAt = c.ExpiresAt, AddedAt = now,
        };
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // Additions to one list run one at a time (its row locked), so two requests cannot both list the same plate; the unique index
            // on active entries (plate, region) backs this up.
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM plates.hotlists WHERE id = {list.Id} FOR UPDATE", ct);
            var listed = await db.HotlistEntries.SingleOrDefaultAsync(e => e.HotlistId == list.Id && e.WithdrawnAt == null && e.Plate == entry.Plate
                && e.Region == entry.Region, ct);
            if (listed is not null && (listed.ExpiresAt is null || listed.ExpiresAt > now))
                return SameDetails(listed, entry)
                    ? listed.ToDto() with { AlreadyListed = true }
                    : throw new DomainRuleException($"{entry.Plate}{(entry.Region is null ? "" : $" ({entry.Region})")} is already on this list with other details "
                        + $"(entry {listed.Id}, added {listed.AddedAt:yyyy-MM-dd}); withdraw that entry to list the plate again.", 409);
            if (listed is not null)
                listed.WithdrawnAt = now;   // an expired entry gives way to the new one
            db.HotlistEntries.Add(entry);
            await db.SaveChangesAsync(ct);
            await db.AuditAsync(c.By, "Plates", "hotlist-entry-add", null, new { list = list.Name, entry.Plate, entry.Region, entry.Reference }, now, ct);
            await tx.CommitAsync(ct);
        }
        await cache.InvalidateAsync();
        var hits = await lookBack.RunAsync([new MatchableEntry(entry.Id, list.Id, entry.Plate, entry.Region, Earliest(entry.ExpiresAt, list.ExpiresAt))], ct);
        return entry.ToDto(hits);
    }

    internal static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <summary>A repeat of the same request (a client retrying after a lost answer): nothing to change.</summary>
    private static bool SameDetails(HotlistEntry a, HotlistEntry b) =>
        a.Reason == b.Reason && a.Reference == b.Reference && a.Description == b.Description && a.ExpiresAt == b.ExpiresAt;

    internal static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;
}

internal sealed class WithdrawHotlistEntryCommandHandler(PlatesDbContext db, HotlistMatcherCache cache, TimeProvider clock)
    : ICommandHandler<WithdrawHotlistEntryCommand, HotlistEntryDto>
{
    public async ValueTask<HotlistEntryDto> Handle(WithdrawHotlistEntryCommand c, CancellationToken ct)
    {
        var entry = await db.HotlistEntries.FindAsync([c.EntryId], ct) ?? throw new DomainRuleException("No such hotlist entry.", 404);
        if (entry.WithdrawnAt is not null)
            return entry.ToDto();
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        entry.WithdrawnAt = now;
        await db.SaveChangesAsync(ct);
        await db.AuditAsync(c.By, "Plates", "hotlist-entry-withdraw", null, new { entry.Id, entry.Plate, entry.Region }, now, ct);
        await tx.CommitAsync(ct);
        await cache.InvalidateAsync();
        return entry.ToDto();
    }
}

internal sealed class ListHotlistEntriesQueryHandler(PlatesDbContext db) : IQueryHandler<ListHotlistEntriesQuery, IReadOnlyList<HotlistEntryDto>>
{
    public async ValueTask<IReadOnlyList<HotlistEntryDto>> Handle(ListHotlistEntriesQuery q, CancellationToken ct) =>
        (await db.HotlistEntries.AsNoTracking().Where(e => e.HotlistId == q.HotlistId).OrderBy(e => e.Plate).Take(5000).ToListAsync(ct))
        .Select(e => e.ToDto()).ToList();
}

// ---- hits ----------------------------------------------------------------------------------------------------------------

internal sealed class ListHotlistHitsQueryHandler(PlatesDbContext db) : IQueryHandler<ListHotlistHitsQuery, IReadOnlyList<HotlistHitDto>>
{
    public async ValueTask<IReadOnlyList<HotlistHitDto>> Handle(ListHotlistHitsQuery q, CancellationToken ct)
    {
        var plate = PlateNumber.Normalize(q.Plate);
        var rows = await (from h in db.HotlistHits
                          join l in db.Hotlists on h.HotlistId equals l.Id
                          join e in db.HotlistEntries on h.EntryId equals e.Id into es
                          from e in es.DefaultIfEmpty()
                          join r in db.Readers on h.ReaderId equals r.Id into rs
                          from r in rs.DefaultIfEmpty()
                          where plate == null || h.ReadPlate == plate || h.EntryPlate == plate
                          orderby h.DetectedAt descending
                          select new { h, l, Reason = e != null ? e.Reason : null, Description = e != null ? e.Description : null, ReaderName = r != null ? r.Name : "reader" })
            .AsNoTracking().Take(Math.Clamp(q.Limit, 1, 1000)).ToListAsync(ct);
        return rows.Select(x => new HotlistHitDto(x.h.Id, x.l.Id, x.l.Name, x.l.AlertLevel,
            x.l.Visibility == HotlistVisibility.Restricted && !q.SeesRestricted ? null
                : (x.Reason ?? x.l.Reason) + (x.Description is null ? "" : $" ({x.Description})"), x.h.EntryPlate, x.h.ReadPlate, x.h.Region,
            x.h.MatchKind, x.h.ReaderId, x.ReaderName, x.h.Latitude, x.h.Longitude, x.h.CapturedAt, x.h.DetectedAt, x.h.Retroactive, x.h.ReleasedAt)).ToList();
    }
}

internal sealed class ReleaseHotlistHitCommandHandler(PlatesDbContext db, ISender sender, TimeProvider clock) : ICommandHandler<ReleaseHotlistHitCommand, HotlistHitDto>
{
    public async ValueTask<HotlistHitDto> Handle(ReleaseHotlistHitCommand c, CancellationToken ct)
    {
        var hit = await db.HotlistHits.FindAsync([c.HitId], ct) ?? throw new DomainRuleException("No such hit.", 404);
        if (hit.ReleasedAt is null)
        {
            var now = clock.GetUtcNow();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            hit.ReleasedAt = now;
            hit.ReleasedBy = c.By;
            await db.SaveChangesAsync(ct);
            await db.AuditAsync(c.By, "Plates", "hit-release", null, new { hit.Id }, now, ct);
            await tx.CommitAsync(ct);
        }
        return (await sender.Send(new ListHotlistHitsQuery(true, hit.ReadPlate, 1000), ct)).First(h => h.Id == hit.Id);
    }
}

// ---- Intelligence's requests ---------------------------------------------------------------------------------------------

/// <summary>Intelligence asks for a vehicle to be watched: an entry on the seeded "Intelligence requests" list, then the look-back.</summary>
internal sealed class ListVehicleOnIntelligenceRequestHandler(PlatesDbContext db, HotlistMatcherCache cache, RetroactiveHotlistCheck lookBack, TimeProvider clock,
    ILogger<ListVehicleOnIntelligenceRequestHandler> logger) : INotificationHandler<VehicleHotlistRequestedEvent>
{
    public async ValueTask Handle(VehicleHotlistRequestedEvent e, CancellationToken ct)
    {
        var reference = e.RequestId.ToString();
        var plate = PlateNumber.Normalize(e.Plate);
        if (!PlateNumber.IsValid(plate))
        {
            logger.LogWarning("Intelligence hotlist request {RequestId} names no valid plate; ignored", e.RequestId);
            return;
        }
        if (await db.HotlistEntries.AnyAsync(x => x.HotlistId == IntelligenceHotlist.Id && x.Reference == reference, ct))
            return;
        var entry = new HotlistEntry
        {
            Id = Guid.CreateVersion7(), HotlistId = IntelligenceHotlist.Id, Plate = plate!, Region = e.Region.Trim().ToUpperInvariant() is { Length: > 0 and <= 8 } r ? r : null,
            Reason = e.Reason.Length <= 300 ? e.Reason : e.Reason[..300], Reference = reference, ExpiresAt = e.ExpiresAt, AddedAt = clock.GetUtcNow(),
        };
        db.HotlistEntries.Add(entry);
        await db.SaveChangesAsync(ct);
        await cache.InvalidateAsync();
        await lookBack.RunAsync([new MatchableEntry(entry.Id, entry.HotlistId, entry.Plate, entry.Region, entry.ExpiresAt)], ct);
    }
}

internal sealed class WithdrawVehicleOnIntelligenceRequestHandler(PlatesDbContext db, HotlistMatcherCache cache) : INotificationHandler<VehicleHotlistWithdrawnEvent>
{
    public async ValueTask Handle(VehicleHotlistWithdrawnEvent e, CancellationToken ct)
    {
        var reference = e.RequestId.ToString();
        var n = await db.HotlistEntries.Where(x => x.HotlistId == IntelligenceHotlist.Id && x.Reference == reference && x.WithdrawnAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.WithdrawnAt, e.WithdrawnAt), ct);
        if (n > 0)
            await cache.InvalidateAsync();
    }
}

/// <summary>The list Intelligence's requests go on (seeded by the migration).</summary>
internal static class IntelligenceHotlist
{
    public static readonly Guid Id = new("6a1b7c3e-2f4d-4e8a-9c5b-0d1e2f3a4b5c");

    public static Hotlist Seed() => new()
    {
        Id = Id, Name = "Intelligence requests", Kind = HotlistKinds.Intelligence, AlertLevel = AlertLevels.High,
        Reason = "Requested by Intelligence (active warrant or released reoffender)", Owner = "Intelligence", Visibility = HotlistVisibility.AllStaff,
        CreatedAt = new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero), CreatedBy = "system",
    };
}
