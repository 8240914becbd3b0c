using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Domain;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Modules.Plates.Features;

// ---- hits ----------------------------------------------------------------------------------------------------------------

/// <summary>A read that matched, as the recorder needs it.</summary>
internal sealed record MatchedRead(Guid ReadId, Guid ReaderId, string Plate, string Region, DateTimeOffset CapturedAt, double Latitude, double Longitude);

/// <summary>Stores hits once per entry and read (a repeat is ignored) and publishes <see cref="HotlistHitEvent"/> for each new one.</summary>
internal sealed class HotlistHitRecorder(PlatesDbContext db, IPublisher publisher, TimeProvider clock)
{
    internal sealed record RecordedHit(string? Make, string? Color, string? ImageRef);

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
            // The read's make and colour are kept with the hit (evidence outlives the read); the picture is named when it is already stored.
            var inserted = await db.Database.SqlQuery<RecordedHit>($"""
                INSERT INTO plates.hotlist_hits (id, hotlist_id, entry_id, plate_read_id, reader_id, read_plate, entry_plate, region, match_kind,
                                                 captured_at, latitude, longitude, detected_at, retroactive, read_make, read_color)
                SELECT {id}, {list.Id}, {entry.Id}, {read.ReadId}, {read.ReaderId}, {read.Plate}, {entry.Plate}, {read.Region}, {match.Kind},
                       {read.CapturedAt}, {read.Latitude}, {read.Longitude}, {now}, {retroactive}, r.make, r.color
                FROM (SELECT 1) one
                LEFT JOIN plates.plate_reads r ON r.id = {read.ReadId} AND r.captured_at = {read.CapturedAt}
                ON CONFLICT (entry_id, plate_read_id) DO NOTHING
                RETURNING read_make AS make, read_color AS color,
                    (SELECT i.image_ref FROM plates.plate_reads pr JOIN plates.plate_images i ON i.reader_id = pr.reader_id AND i.image_ref = pr.image_ref
                     WHERE pr.id = {read.ReadId} AND pr.captured_at = {read.CapturedAt}) AS image_ref
                """).ToListAsync(ct);
            if (inserted.Count == 0)
                continue;
            var restricted = list.Visibility == HotlistVisibility.Restricted;
            var reason = entry.Reason ?? list.Reason;
            events.Add(new HotlistHitEvent(id, list.Id, list.Name, list.AlertLevel, list.Visibility, list.Owner,
                restricted ? null : reason + (entry.Description is null ? "" : $" ({entry.Description})"),
                entry.Plate, read.Plate, read.Region, match.Kind, read.ReaderId, readers.GetValueOrDefault(read.ReaderId, "reader"), read.Latitude,
                read.Longitude, read.CapturedAt, retroactive, inserted[0].Make, inserted[0].Color, restricted ? null : entry.Description, entry.AddedAt,
                inserted[0].ImageRef is { } image ? PlateImage.UrlOf(read.ReaderId, image) : null));
        }
        foreach (var e in events)
            await publisher.Publish(e, ct);
        return events.Count;
    }
}

internal sealed class ListHotlistHitsQueryHandler(PlatesDbContext db) : IQueryHandler<ListHotlistHitsQuery, IReadOnlyList<HotlistHitDto>>
{
    public async ValueTask<IReadOnlyList<HotlistHitDto>> Handle(ListHotlistHitsQuery q, CancellationToken ct) =>
        await LoadAsync(db, q, null, ct);

    /// <summary>The hits of <paramref name="q"/>'s filter, or only those with these <paramref name="ids"/>.</summary>
    internal static async Task<IReadOnlyList<HotlistHitDto>> LoadAsync(PlatesDbContext db, ListHotlistHitsQuery q, Guid[]? ids, CancellationToken ct)
    {
        var plate = PlateNumber.Normalize(q.Plate);
        var rows = await (from h in db.HotlistHits
                          join l in db.Hotlists on h.HotlistId equals l.Id
                          join e in db.HotlistEntries on h.EntryId equals e.Id into es
                          from e in es.DefaultIfEmpty()
                          join r in db.Readers on h.ReaderId equals r.Id into rs
                          from r in rs.DefaultIfEmpty()
                          where ids == null || ids.Contains(h.Id)
                          where plate == null || h.ReadPlate == plate || h.EntryPlate == plate
                          where q.Retroactive == null || h.Retroactive == q.Retroactive
                          orderby h.DetectedAt descending
                          select new
                          {
                              h, l, Reason = e != null ? e.Reason : null, Description = e != null ? e.Description : null, ReaderName = r != null ? r.Name : "reader",
                              AddedAt = e != null ? e.AddedAt : (DateTimeOffset?)null,
                              Image = db.Reads.Where(p => p.Id == h.PlateReadId && p.CapturedAt == h.CapturedAt)
                                  .Select(p => db.Images.Where(i => i.ReaderId == p.ReaderId && i.ImageRef == p.ImageRef).Select(i => i.ImageRef).FirstOrDefault())
                                  .FirstOrDefault(),
                          })
            .AsNoTracking().Take(Math.Clamp(q.Limit, 1, 1000)).ToListAsync(ct);
        return rows.Select(x => new HotlistHitDto(x.h.Id, x.l.Id, x.l.Name, x.l.AlertLevel,
            x.l.Visibility == HotlistVisibility.Restricted && !q.SeesRestricted ? null
                : (x.Reason ?? x.l.Reason) + (x.Description is null ? "" : $" ({x.Description})"), x.h.EntryPlate, x.h.ReadPlate, x.h.Region,
            x.h.MatchKind, x.h.ReaderId, x.ReaderName, x.h.Latitude, x.h.Longitude, x.h.CapturedAt, x.h.DetectedAt, x.h.Retroactive, x.h.ReleasedAt,
            x.Image is null ? null : PlateImage.UrlOf(x.h.ReaderId, x.Image), x.h.ReadMake, x.h.ReadColor,
            x.l.Visibility == HotlistVisibility.Restricted && !q.SeesRestricted ? null : x.Description, x.AddedAt, x.h.Decision, x.h.DecisionReason,
            x.h.DecisionNotes, x.h.DecidedAt, x.h.DecidedBy)).ToList();
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
