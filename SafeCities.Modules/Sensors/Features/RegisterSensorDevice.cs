using SafeCities.Modules.Sensors.Contracts;
using SafeCities.Modules.Sensors.Data;
using SafeCities.Modules.Sensors.Domain;
using SafeCities.Modules.Shared.Devices;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Modules.Sensors.Features;

internal sealed class RegisterSensorDeviceCommandValidator : AbstractValidator<RegisterSensorDeviceCommand>
{
    public RegisterSensorDeviceCommandValidator()
    {
        RuleFor(c => c.Device).SetValidator(new DeviceRegistrationValidator());
        RuleFor(c => c.Device.Kind).Must(SensorDeviceKinds.All.Contains)
            .WithMessage($"Sensors registers only {string.Join(", ", SensorDeviceKinds.All)}.");
    }
}

internal sealed class RegisterSensorDeviceCommandHandler(SensorsDbContext db, TimeProvider clock)
    : ICommandHandler<RegisterSensorDeviceCommand, DeviceDto>
{
    public async ValueTask<DeviceDto> Handle(RegisterSensorDeviceCommand command, CancellationToken cancellationToken)
    {
        var d = command.Device;
        var device = new SensorDevice
        {
            Id = d.Id, Kind = d.Kind, Name = d.Name.Trim(), Latitude = d.Latitude, Longitude = d.Longitude,
            ElevationMeters = d.ElevationMeters, Location = GeoMath.Point(d.Latitude, d.Longitude), RegisteredAt = clock.GetUtcNow(),
        };
        db.Devices.Add(device);
        await db.SaveChangesAsync(cancellationToken);
        return device.ToDto();
    }
}

internal static class SensorDeviceMapping
{
    public static DeviceDto ToDto(this SensorDevice d) =>
        new(d.Id, d.Kind, d.Name, d.Latitude, d.Longitude, d.ElevationMeters, d.RegisteredAt,
            new Dictionary<string, object?> { ["lastSeenAt"] = d.LastSeenAt });
}
