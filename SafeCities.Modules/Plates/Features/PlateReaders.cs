using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Domain;
using SafeCities.Modules.Shared.Devices;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Modules.Plates.Features;

internal sealed class RegisterPlateReaderCommandValidator : AbstractValidator<RegisterPlateReaderCommand>
{
    public RegisterPlateReaderCommandValidator()
    {
        RuleFor(c => c.Device).SetValidator(new DeviceRegistrationValidator());
        RuleFor(c => c.Device.Kind).Equal(PlatesDeviceKinds.PlateReader);
        RuleFor(c => c.Settings.HeadingDegrees).InclusiveBetween(0, 360).When(c => c.Settings.HeadingDegrees is not null);
        RuleFor(c => c.Settings.Lanes).InclusiveBetween(1, 12).When(c => c.Settings.Lanes is not null);
    }
}

internal sealed class RegisterPlateReaderCommandHandler(PlatesDbContext db, TimeProvider clock) : ICommandHandler<RegisterPlateReaderCommand, DeviceDto>
{
    public async ValueTask<DeviceDto> Handle(RegisterPlateReaderCommand command, CancellationToken cancellationToken)
    {
        var (d, s) = (command.Device, command.Settings);
        var reader = new PlateReader
        {
            Id = d.Id, Name = d.Name.Trim(), Latitude = d.Latitude, Longitude = d.Longitude, ElevationMeters = d.ElevationMeters,
            Location = GeoMath.Point(d.Latitude, d.Longitude), HeadingDegrees = s.HeadingDegrees, Lanes = s.Lanes ?? 1, RegisteredAt = clock.GetUtcNow(),
        };
        db.Readers.Add(reader);
        await db.SaveChangesAsync(cancellationToken);
        return reader.ToDto();
    }
}

internal sealed class ListPlateReadersQueryHandler(PlatesDbContext db) : IQueryHandler<ListPlateReadersQuery, IReadOnlyList<DeviceDto>>
{
    public async ValueTask<IReadOnlyList<DeviceDto>> Handle(ListPlateReadersQuery query, CancellationToken cancellationToken) =>
        (await db.Readers.AsNoTracking().OrderBy(r => r.Name).ToListAsync(cancellationToken)).Select(r => r.ToDto()).ToList();
}

/// <summary>Readers with how many reads each captured in the last 24 hours (and the latest of them).</summary>
internal sealed class ListPlateReaderActivityQueryHandler(PlatesDbContext db, TimeProvider clock)
    : IQueryHandler<ListPlateReaderActivityQuery, IReadOnlyList<PlateReaderActivityDto>>
{
    public async ValueTask<IReadOnlyList<PlateReaderActivityDto>> Handle(ListPlateReaderActivityQuery query, CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow().AddHours(-24);
        var activity = await db.Reads.Where(r => r.CapturedAt >= since).GroupBy(r => r.ReaderId)
            .Select(g => new { ReaderId = g.Key, Reads = g.Count(), Last = g.Max(r => r.CapturedAt) })
            .ToDictionaryAsync(a => a.ReaderId, cancellationToken);
        var readers = await db.Readers.AsNoTracking().OrderBy(r => r.Name).ToListAsync(cancellationToken);
        return readers.Select(r => activity.TryGetValue(r.Id, out var a)
                ? new PlateReaderActivityDto(r.Id, r.Name, r.Latitude, r.Longitude, r.HeadingDegrees, r.Lanes, r.RegisteredAt, a.Reads, a.Last)
                : new PlateReaderActivityDto(r.Id, r.Name, r.Latitude, r.Longitude, r.HeadingDegrees, r.Lanes, r.RegisteredAt, 0, null))
            .ToList();
    }
}
