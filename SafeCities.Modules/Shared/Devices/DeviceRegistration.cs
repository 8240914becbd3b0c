namespace SafeCities.Modules.Shared.Devices;

/// <summary>What every device registration carries, whichever module owns the device.</summary>
public sealed record DeviceRegistration(Guid Id, string Kind, string Name, double Latitude, double Longitude, double? ElevationMeters);

/// <summary>A registered device as listed by its owning module; <see cref="Settings"/> holds the module-specific part.</summary>
public sealed record DeviceDto(Guid Id, string Kind, string Name, double Latitude, double Longitude, double? ElevationMeters,
    DateTimeOffset RegisteredAt, IReadOnlyDictionary<string, object?> Settings);

public sealed class DeviceRegistrationValidator : AbstractValidator<DeviceRegistration>
{
    public DeviceRegistrationValidator()
    {
        RuleFor(d => d.Id).NotEmpty();
        RuleFor(d => d.Name).NotEmpty().MaximumLength(120);
        RuleFor(d => d.Latitude).InclusiveBetween(-90, 90);
        RuleFor(d => d.Longitude).InclusiveBetween(-180, 180);
        RuleFor(d => d.ElevationMeters).InclusiveBetween(-500, 9000).When(d => d.ElevationMeters is not null);
    }
}
