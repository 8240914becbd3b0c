using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Domain;
using SafeCities.Modules.Shared.Persistence;

namespace SafeCities.Modules.Plates.Features;

// ---- Intelligence's requests ---------------------------------------------------------------------------------------------

/// <summary>Intelligence asks for a vehicle to be watched: an entry on the seeded "Intelligence requests" list, then the look-back.</summary>
internal sealed class ListVehicleOnIntelligenceRequestHandler(PlatesDbContext db, HotlistMatcherCache cache, RetroactiveHotlistCheck lookBack, TimeProvider clock,
    ILogger<ListVehicleOnIntelligenceRequestHandler> logger) : INotificationHandler<VehicleHotlistRequestedEvent>
{
    public async ValueTask Handle(VehicleHotlistRequestedEvent e, CancellationToken ct)
    {
        var plate = PlateNumber.Normalize(e.Plate);
        if (!PlateNumber.IsValid(plate))
        {
            logger.LogWarning("Intelligence hotlist request {RequestId} names no valid plate; ignored", e.RequestId);
            return;
        }
        // Intelligence's outbox delivers a request after its commit, again after a crash or a failure — also one that stored the entry and
        // died before or during its look-back: the entry found, the look-back runs again (its hits are recorded once). A withdrawal delivered
        // first left a withdrawn entry for the request: nothing is listed or looked back at.
        HotlistEntry? entry;
        var added = false;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await IntelligenceHotlist.LockAsync(db, e.RequestId, ct);
            entry = await IntelligenceHotlist.EntriesOf(db, e.RequestId).AsNoTracking().FirstOrDefaultAsync(ct);
            if (entry is null)
            {
                entry = IntelligenceHotlist.Entry(e.RequestId, plate!, e.Region, e.Reason, clock.GetUtcNow(), e.ExpiresAt);
                db.HotlistEntries.Add(entry);
                await db.SaveChangesAsync(ct);
                added = true;
            }
            await tx.CommitAsync(ct);
        }
        // Delivered by an outbox worker, which must not wait a second for a million-entry matcher while reactions queue behind it: the
        // build starts, and this node's batches meanwhile are caught up as every other node's are (ADR 0062).
        if (added)
            _ = cache.ChangedAsync();
        if (entry.WithdrawnAt is null)
            await lookBack.RunAsync([new MatchableEntry(entry.Id, entry.HotlistId, entry.Plate, entry.Region, entry.ExpiresAt)], owed: null, ct);
    }
}

internal sealed class WithdrawVehicleOnIntelligenceRequestHandler(PlatesDbContext db, HotlistMatcherCache cache) : INotificationHandler<VehicleHotlistWithdrawnEvent>
{
    public async ValueTask Handle(VehicleHotlistWithdrawnEvent e, CancellationToken ct)
    {
        int withdrawn;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await IntelligenceHotlist.LockAsync(db, e.RequestId, ct);
            withdrawn = await IntelligenceHotlist.EntriesOf(db, e.RequestId).Where(x => x.WithdrawnAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.WithdrawnAt, e.WithdrawnAt), ct);
            // Before its request (whose delivery failed and waits for a retry): a withdrawn entry stands for the request, which then lists nothing.
            if (withdrawn == 0 && PlateNumber.Normalize(e.Plate) is { } plate && PlateNumber.IsValid(plate)
                && !await IntelligenceHotlist.EntriesOf(db, e.RequestId).AnyAsync(ct))
            {
                db.HotlistEntries.Add(IntelligenceHotlist.Entry(e.RequestId, plate, e.Region, e.Reason, e.WithdrawnAt, withdrawnAt: e.WithdrawnAt));
                await db.SaveChangesAsync(ct);
            }
            await tx.CommitAsync(ct);
        }
        if (withdrawn > 0)
            _ = cache.ChangedAsync();   // as for a listing: not waited for
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

    /// <summary>One request's listing and withdrawal at a time (Intelligence's outbox may deliver them in either order, and again).</summary>
    public static Task LockAsync(PlatesDbContext db, Guid requestId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdvisoryLocks.PerIncident(AdvisoryLocks.IntelligenceHotlistPerRequest, requestId)})", ct);

    /// <summary>The entries standing for one request (its reference): at most one.</summary>
    public static IQueryable<HotlistEntry> EntriesOf(PlatesDbContext db, Guid requestId)
    {
        var reference = requestId.ToString();
        return db.HotlistEntries.Where(x => x.HotlistId == Id && x.Reference == reference);
    }

    /// <summary>The entry of a request: listed, or (<paramref name="withdrawnAt"/>) standing for a withdrawal that came before it.</summary>
    public static HotlistEntry Entry(Guid requestId, string plate, string region, string reason, DateTimeOffset addedAt, DateTimeOffset? expiresAt = null,
        DateTimeOffset? withdrawnAt = null) => new()
    {
        Id = Guid.CreateVersion7(), HotlistId = Id, Plate = plate, Region = region.Trim().ToUpperInvariant() is { Length: > 0 and <= 8 } r ? r : null,
        Reason = reason.Length <= 300 ? reason : reason[..300], Reference = requestId.ToString(), ExpiresAt = expiresAt, AddedAt = addedAt,
        WithdrawnAt = withdrawnAt,
    };
}
