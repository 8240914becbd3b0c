using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Intelligence.Data;
using SafeCities.Modules.Intelligence.Domain;
using SafeCities.Modules.Shared.Outbox;

namespace SafeCities.Modules.Intelligence.Features;

/// <summary>
/// Releases and warrant changes, decided inside the ingestion transaction: their notifications, hotlist requests and events commit with
/// the records, the events in Intelligence's outbox (delivered after commit, again after a crash or a failed delivery; Plates takes
/// <see cref="VehicleHotlistRequestedEvent"/> and <see cref="VehicleHotlistWithdrawnEvent"/> in any order and any number of times,
/// ADR 0061, amendment).
/// </summary>
internal sealed class RecordReactions(IntelligenceDbContext db)
{
    public async Task PrepareAsync(Agency agency, PendingReactions pending, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var booking in pending.Releases)
            await ReleaseAsync(agency, booking, now, ct);
        var requested = new HashSet<(Guid Warrant, Guid Vehicle)>();
        foreach (var warrant in pending.ActivatedWarrants)
        {
            foreach (var vehicle in await db.Vehicles.Where(v => v.OwnerPersonId == warrant.PersonId).ToListAsync(ct))
                if (requested.Add((warrant.Id, vehicle.Id)))
                    Hotlist(vehicle, warrant, $"active warrant {warrant.SourceId} ({agency.Name})", now, null);
        }
        // A vehicle that arrives (or changes hands) after its owner's warrant became active is watched too, once per warrant and plate.
        foreach (var vehicle in pending.NewlyOwnedVehicles)
        {
            var ownerId = vehicle.OwnerPersonId;
            var warrants = await db.Records.Where(r => r.Kind == RecordKinds.Warrant && r.Status == WarrantStatus.Active && r.PersonId == ownerId)
                .Join(db.Agencies, r => r.AgencyId, a => a.Id, (r, a) => new { Warrant = r, Agency = a.Name }).ToListAsync(ct);
            foreach (var w in warrants)
            {
                var plate = vehicle.Plate;
                if (!requested.Add((w.Warrant.Id, vehicle.Id))
                    || await db.HotlistRequests.AnyAsync(h => h.SourceRecordId == w.Warrant.Id && h.Plate == plate && h.WithdrawnAt == null, ct))
                    continue;
                Hotlist(vehicle, w.Warrant, $"active warrant {w.Warrant.SourceId} ({w.Agency})", now, null);
            }
        }
        foreach (var warrant in pending.EndedWarrants)
        {
            foreach (var request in await db.HotlistRequests.Where(h => h.SourceRecordId == warrant.Id && h.WithdrawnAt == null).ToListAsync(ct))
            {
                request.WithdrawnAt = now;
                db.AddOutboxMessage(new VehicleHotlistWithdrawnEvent(request.Id, request.Plate, request.Region, $"warrant {warrant.SourceId} {warrant.Status}", now),
                    Guid.CreateVersion7());
            }
        }
        await db.SaveChangesAsync(ct);
    }

    private async Task ReleaseAsync(Agency agency, AgencyRecord booking, DateTimeOffset now, CancellationToken ct)
    {
        var personId = booking.PersonId!.Value;
        if (await db.ReleaseNotifications.AnyAsync(n => n.BookingId == booking.Id, ct))
            return;
        var person = await db.Persons.AsNoTracking().SingleAsync(p => p.Id == personId, ct);
        var vehicles = await db.Vehicles.Where(v => v.OwnerPersonId == personId).ToListAsync(ct);
        var plates = vehicles.Select(v => v.Plate).ToList();
        var reasons = new List<string>();
        var bookings = await db.Records.CountAsync(r => r.PersonId == personId && r.Kind == RecordKinds.Booking, ct);
        if (bookings >= 2)
            reasons.Add($"recidivism: {bookings} bookings");
        var watch = await db.Watchlist.AsNoTracking()
            .Where(w => w.RemovedAt == null && (w.PersonId == personId || (w.Plate != null && plates.Contains(w.Plate)) || w.Criteria != null))
            .ToListAsync(ct);
        var violent = await db.Records.AnyAsync(r => r.PersonId == personId && r.ViolentOffence, ct);
        foreach (var w in watch)
        {
            if (w.PersonId == personId)
                reasons.Add($"on watchlist '{w.Name}'");
            else if (w.Plate is not null)
                reasons.Add($"vehicle {w.Plate} on watchlist '{w.Name}'");
            else if (w.Criteria == WatchlistCriteria.ViolentOffenceHistory && violent)
                reasons.Add($"violent offence history (watchlist '{w.Name}')");
            else if (w.Criteria == WatchlistCriteria.Recidivist && bookings >= 2)
                reasons.Add($"recidivist (watchlist '{w.Name}')");
        }
        if (reasons.Count == 0)
            return;

        var releasedAt = booking.EndedAt!.Value;
        var notification = new ReleaseNotification
        {
            Id = Guid.CreateVersion7(), BookingId = booking.Id, PersonId = personId, ReleasedAt = releasedAt, Reasons = reasons, CreatedAt = now,
        };
        db.ReleaseNotifications.Add(notification);
        db.AddOutboxMessage(await ReleasedEventAsync(notification, booking, agency, person, plates, now, ct), notification.Id);
        if (agency.ReleaseHotlistDays is { } days)
            foreach (var vehicle in vehicles)
                Hotlist(vehicle, booking, $"released reoffender {person.DisplayName} ({agency.Name} policy, {days} days)", now, releasedAt.AddDays(days));
    }

    private async Task<ReoffenderReleasedEvent> ReleasedEventAsync(ReleaseNotification notification, AgencyRecord booking, Agency agency, Person person,
        IReadOnlyList<string> plates, DateTimeOffset now, CancellationToken ct)
    {
        var supervision = await db.Records.AsNoTracking()
            .Where(r => r.PersonId == person.Id && r.Kind == RecordKinds.Supervision && (r.EndedAt == null || r.EndedAt > now))
            .OrderByDescending(r => r.StartedAt).Select(r => r.SupervisingOfficer).FirstOrDefaultAsync(ct);
        return new ReoffenderReleasedEvent(notification.Id, person.Id, person.DisplayName, person.DateOfBirth, notification.ReleasedAt,
            booking.Details.GetValueOrDefault("facility") ?? "", agency.Name, person.Address, person.District, supervision, notification.Reasons, plates);
    }

    /// <summary>Records the request and its event for Plates (keyed by the request's id), in the ingestion transaction.</summary>
    private void Hotlist(Vehicle vehicle, AgencyRecord source, string reason, DateTimeOffset now, DateTimeOffset? expires)
    {
        var request = new HotlistRequest
        {
            Id = Guid.CreateVersion7(), Plate = vehicle.Plate, Region = vehicle.Region, PersonId = source.PersonId!.Value, SourceRecordId = source.Id,
            Reason = reason.Length > 300 ? reason[..300] : reason, RequestedAt = now, ExpiresAt = expires,
        };
        db.HotlistRequests.Add(request);
        db.AddOutboxMessage(new VehicleHotlistRequestedEvent(request.Id, request.Plate, request.Region, request.PersonId, request.Reason, now, expires), request.Id);
    }
}
