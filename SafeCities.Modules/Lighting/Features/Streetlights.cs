using SafeCities.Modules.Lighting.Contracts;
using SafeCities.Modules.Lighting.Data;
using SafeCities.Modules.Lighting.Domain;
using SafeCities.Modules.Shared.Devices;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Modules.Lighting.Features;

internal sealed class RegisterStreetlightCommandValidator : AbstractValidator<RegisterStreetlightCommand>
{
    public RegisterStreetlightCommandValidator()
    {
        RuleFor(c => c.Device).SetValidator(new DeviceRegistrationValidator());
        RuleFor(c => c.Device.Kind).Equal(LightingDeviceKinds.Streetlight);
        RuleFor(c => c.Settings.NormalLevel).InclusiveBetween(0, 100).When(c => c.Settings.NormalLevel is not null);
        RuleFor(c => c.Settings.Circuit).MaximumLength(60);
        RuleFor(c => c.Settings.ControllerId).MaximumLength(60);
    }
}

internal sealed class RegisterStreetlightCommandHandler(LightingDbContext db, TimeProvider clock) : ICommandHandler<RegisterStreetlightCommand, DeviceDto>
{
    public async ValueTask<DeviceDto> Handle(RegisterStreetlightCommand command, CancellationToken cancellationToken)
    {
        var (d, s) = (command.Device, command.Settings);
        var level = s.NormalLevel ?? 40;
        var light = new Streetlight
        {
            Id = d.Id, Name = d.Name.Trim(), Latitude = d.Latitude, Longitude = d.Longitude, ElevationMeters = d.ElevationMeters,
            Location = GeoMath.Point(d.Latitude, d.Longitude), Circuit = s.Circuit, ControllerId = s.ControllerId, NormalLevel = level,
            CurrentLevel = level, RegisteredAt = clock.GetUtcNow(),
        };
        db.Streetlights.Add(light);
        await db.SaveChangesAsync(cancellationToken);
        return light.ToDto();
    }
}

internal sealed class ListStreetlightsQueryHandler(LightingDbContext db) : IQueryHandler<ListStreetlightsQuery, IReadOnlyList<DeviceDto>>
{
    public async ValueTask<IReadOnlyList<DeviceDto>> Handle(ListStreetlightsQuery query, CancellationToken cancellationToken) =>
        (await db.Streetlights.AsNoTracking().OrderBy(l => l.Name).ToListAsync(cancellationToken)).Select(l => l.ToDto()).ToList();
}
