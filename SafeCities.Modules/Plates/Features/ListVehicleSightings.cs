using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Domain;
using SafeCities.Modules.Shared.Audit;
using SafeCities.Modules.Shared.Purposes;

namespace SafeCities.Modules.Plates.Features;

internal sealed class ListVehicleSightingsQueryValidator : AbstractValidator<ListVehicleSightingsQuery>
{
    public ListVehicleSightingsQueryValidator(PurposePolicy purposes)
    {
        Include(new StatedPurposeValidator(purposes));
        // Not gated itself (only the person view asks for it): without a case number it must carry the approval the view ran under.
        RuleFor(q => q.ApprovalId).NotNull().When(q => string.IsNullOrWhiteSpace(q.CaseNumber) && q.Actor != PurposePolicy.SystemActor)
            .WithMessage("Without a case number, a vehicle look-up carries the approval of the view it serves ('approvalId').");
        RuleFor(q => q.Actor).NotEmpty().MaximumLength(256);
        RuleFor(q => q.Vehicles).NotEmpty().Must(v => v!.Count <= ListVehicleSightingsQuery.MaxVehicles)
            .WithMessage($"At most {ListVehicleSightingsQuery.MaxVehicles} vehicles per look-up.");
        // Bounded, not judged: a plate or region in another module's format that no reader could send simply matches no read.
        RuleForEach(q => q.Vehicles).ChildRules(v =>
        {
            v.RuleFor(x => x.Plate).NotEmpty().MaximumLength(16);
            v.RuleFor(x => x.Region).NotEmpty().MaximumLength(16);
        });
        RuleFor(q => q.Reference).MaximumLength(200);
        RuleFor(q => q.Limit).InclusiveBetween(1, 1000);
    }
}

/// <summary>
/// A vehicle's recent reads for another module's view (Intelligence's person page). Audited first, like a search: if the audit record
/// cannot be written nothing is returned. Reads older than the retention period are not shown even when kept as evidence.
/// </summary>
internal sealed class ListVehicleSightingsQueryHandler(PlatesDbContext db, TimeProvider clock, IOptions<PlatesOptions> options, AgencyPlateReads agencies,
    PurposePolicy purposes)
    : IQueryHandler<ListVehicleSightingsQuery, IReadOnlyList<VehicleSightingDto>>
{
    public async ValueTask<IReadOnlyList<VehicleSightingDto>> Handle(ListVehicleSightingsQuery q, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var since = now.AddDays(-options.Value.ReadRetentionDays);
        var vehicles = q.Vehicles!.Select(v => (Plate: PlateNumber.Normalize(v.Plate)!, Region: v.Region.Trim().ToUpperInvariant())).Distinct().ToList();
        var agency = await agencies.CheckAsync(db, q.Actor, q.ViewerAgencyId, "vehicle-sightings", q.Purpose, now, ct);
        await db.AuditAsync(q, purposes, "Plates", "vehicle-sightings", new
        {
            vehicles = vehicles.Select(v => new { plate = v.Plate, region = v.Region }), reference = q.Reference, from = since, limit = q.Limit,
        }, now, ct);

        var plates = vehicles.Select(v => v.Plate).Distinct().ToList();
        var keys = vehicles.Select(v => v.Plate + "|" + v.Region).ToList();
        var rows = await (
                from read in db.Reads
                where plates.Contains(read.Plate) && keys.Contains(read.Plate + "|" + read.Region) && read.CapturedAt >= since
                join reader in db.Readers on read.ReaderId equals reader.Id into readers
                from reader in readers.DefaultIfEmpty()
                orderby read.CapturedAt descending, read.Id descending
                select new
                {
                    read, ReaderName = reader == null ? "unknown reader" : reader.Name,
                    Incidents = db.IncidentReads.Where(l => l.PlateReadId == read.Id).Select(l => l.IncidentId).ToList(),
                    Image = db.Images.Where(i => i.ReaderId == read.ReaderId && i.ImageRef == read.ImageRef).Select(i => i.ImageRef).FirstOrDefault(),
                })
            .Take(q.Limit).AsNoTracking().ToListAsync(ct);
        await agencies.LogAsync(agency, rows.Count, ct);
        return rows.Select(x => new VehicleSightingDto(new PlateSightingDto(x.read.Id, x.read.Plate, x.read.Region, x.read.CapturedAt, x.read.Confidence,
                x.read.Make, x.read.Model, x.read.Color, x.read.ReaderId, x.ReaderName, x.read.Latitude, x.read.Longitude,
                x.Image is null ? null : PlateImage.UrlOf(x.read.ReaderId, x.Image)), x.Incidents))
            .ToList();
    }
}
