using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Domain;

namespace SafeCities.Modules.Plates.Features;

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
