using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Domain;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Modules.Shared.Outbox;
using SafeCities.Modules.Shared.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace SafeCities.Modules.Plates.Features;

// ---- hits ----------------------------------------------------------------------------------------------------------------

/// <summary>A read that matched, as the recorder needs it: <paramref name="Make"/>, <paramref name="Color"/> and <paramref name="ImageRef"/> as
/// the read is stored (the make and colour are kept with the hit: evidence outlives the read).</summary>
internal sealed record MatchedRead(Guid ReadId, Guid ReaderId, string Plate, string Region, DateTimeOffset CapturedAt, double Latitude, double Longitude,
    string? Make = null, string? Color = null, string? ImageRef = null);

/// <summary>
/// Stores hits once per entry and read (a repeat is ignored) and writes a <see cref="HotlistHitEvent"/> for each new one into Plates'
/// outbox, all in the caller's transaction: a hit is recorded with the read that caused it (live, in the ingestion transaction) or not
/// at all, and Alerts hears of it through the outbox even when the node dies right after the commit (ADR 0061). The caller hands the
/// returned messages to <see cref="OutboxSqlWriter.Committed{TContext}"/> once it has committed.
/// </summary>
internal sealed class HotlistHitRecorder(OutboxSqlWriter outbox, TimeProvider clock)
{
    /// <summary>
    /// One statement: the hits whose entry is still listed — not withdrawn, deleted or expired, nor its list expired, as committed when the
    /// statement runs (a matcher built before a withdrawal on another node, or before it here, keeps matching until its successor is built,
    /// ADR 0062) — each with the read's make and colour (kept with the hit: evidence outlives the
    /// read), and back what the event needs — the list, the entry, the reader's name and the read's picture when it is already stored.
    /// The read's make, colour and picture reference come from the caller (as stored), not from a join to the day-partitioned
    /// <c>plate_reads</c>, whose partitions a generic plan could not prune at planning time.
    /// </summary>
    private const string Insert = """
        WITH hit AS (
            INSERT INTO plates.hotlist_hits (id, hotlist_id, entry_id, plate_read_id, reader_id, read_plate, entry_plate, region, match_kind,
                                             captured_at, latitude, longitude, detected_at, retroactive, read_make, read_color)
            SELECT u.id, e.hotlist_id, e.id, u.read_id, u.reader_id, u.read_plate, e.plate, u.region, u.match_kind,
                   u.captured_at, u.latitude, u.longitude, $1, $2, u.make, u.color
            FROM unnest($3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $7::text[], $8::text[], $9::text[], $10::timestamptz[],
                        $11::float8[], $12::float8[], $13::text[], $14::text[])
                 AS u(id, entry_id, read_id, reader_id, read_plate, region, match_kind, captured_at, latitude, longitude, make, color)
            JOIN plates.hotlist_entries e ON e.id = u.entry_id AND e.withdrawn_at IS NULL AND (e.expires_at IS NULL OR e.expires_at > $1)
            JOIN plates.hotlists l ON l.id = e.hotlist_id AND (l.expires_at IS NULL OR l.expires_at > $1)
            ON CONFLICT (entry_id, plate_read_id) DO NOTHING
            RETURNING id, hotlist_id, entry_id, plate_read_id, reader_id, captured_at, read_make, read_color
        )
        SELECT hit.id, l.name, l.alert_level, l.visibility, l.owner, coalesce(e.reason, l.reason), e.description, e.added_at,
               coalesce(rd.name, 'reader'), hit.read_make, hit.read_color, i.image_ref
        FROM hit
        JOIN plates.hotlists l ON l.id = hit.hotlist_id
        JOIN plates.hotlist_entries e ON e.id = hit.entry_id
        LEFT JOIN plates.readers rd ON rd.id = hit.reader_id
        JOIN unnest($3::uuid[], $15::text[]) AS picture(id, image_ref) ON picture.id = hit.id
        LEFT JOIN plates.plate_images i ON i.reader_id = hit.reader_id AND i.image_ref = picture.image_ref
        """;

    /// <returns>One outbox message per new hit (written in <paramref name="transaction"/>; hand them over after the commit).</returns>
    public async Task<List<OutboxMessage>> RecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        IReadOnlyList<(PlateMatch Match, MatchedRead Read)> hits, bool retroactive, CancellationToken ct)
    {
        if (hits.Count == 0)
            return [];
        var now = clock.GetUtcNow();
        var ids = UuidV7.Create(hits.Count, now);
        var byId = new Dictionary<Guid, (PlateMatch Match, MatchedRead Read)>(hits.Count);
        for (var i = 0; i < hits.Count; i++)
            byId[ids[i]] = hits[i];
        await using var batch = new NpgsqlBatch(connection, transaction);
        // The statement's generic plan, made once per connection (it is prepared): with array parameters PostgreSQL kept choosing a
        // custom plan, and planning it took 0.5 ms at every hit (pg_stat_statements with track_planning, plates-ingest). For the rest of
        // the caller's transaction only (SET LOCAL).
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL plan_cache_mode = force_generic_plan"));
        var insert = new NpgsqlBatchCommand(Insert);
        batch.BatchCommands.Add(insert);
        insert.Parameters.Add(new NpgsqlParameter { Value = now });
        insert.Parameters.Add(new NpgsqlParameter { Value = retroactive });
        insert.Parameters.Add(new NpgsqlParameter { Value = ids });
        insert.Parameters.Add(new NpgsqlParameter { Value = hits.Select(h => h.Match.Entry.EntryId).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = hits.Select(h => h.Read.ReadId).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = hits.Select(h => h.Read.ReaderId).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = hits.Select(h => h.Read.Plate).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = hits.Select(h => h.Read.Region).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = hits.Select(h => h.Match.Kind).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = hits.Select(h => h.Read.CapturedAt.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        insert.Parameters.Add(new NpgsqlParameter { Value = hits.Select(h => h.Read.Latitude).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = hits.Select(h => h.Read.Longitude).ToArray() });
        foreach (var text in new Func<MatchedRead, string?>[] { r => r.Make, r => r.Color, r => r.ImageRef })
            insert.Parameters.Add(new NpgsqlParameter { Value = hits.Select(h => text(h.Read)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await batch.PrepareAsync(ct);

        var messages = new List<OutboxMessage>();
        await using var reader = await batch.ExecuteReaderAsync(ct);
        while (reader.FieldCount == 0 && await reader.NextResultAsync(ct))
        {
        }
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetGuid(0);
            var (match, read) = byId[id];
            var (name, alertLevel, visibility, owner, reason) = (reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5));
            var description = reader.IsDBNull(6) ? null : reader.GetString(6);
            var restricted = visibility == HotlistVisibility.Restricted;
            var image = reader.IsDBNull(11) ? null : reader.GetString(11);
            var e = new HotlistHitEvent(id, match.Entry.HotlistId, name, alertLevel, visibility, owner,
                restricted ? null : reason + (description is null ? "" : $" ({description})"),
                match.Entry.Plate, read.Plate, read.Region, match.Kind, read.ReaderId, reader.GetString(8), read.Latitude, read.Longitude,
                read.CapturedAt, retroactive, reader.IsDBNull(9) ? null : reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetString(10),
                restricted ? null : description, reader.GetFieldValue<DateTimeOffset>(7), image is null ? null : PlateImage.UrlOf(read.ReaderId, image));
            // Live hits go to the prompt lane (an officer may be sent); a look-back's past-read hits, possibly thousands at once, to the bulk one.
            messages.Add(outbox.Message(e, id, retroactive ? OutboxLane.Bulk : OutboxLane.Reactions));
        }
        return messages;
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
