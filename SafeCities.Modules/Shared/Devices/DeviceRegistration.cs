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

/// <summary>What every module's device entity has in common: the part an administrator edits on the Devices page, whichever module keeps it.</summary>
public interface IPlacedDevice
{
    Guid Id { get; }
    string Name { get; set; }
    double Latitude { get; set; }
    double Longitude { get; set; }
    double? ElevationMeters { get; set; }
    NetTopologySuite.Geometries.Point Location { get; set; }
}

public static class DeviceEditing
{
    /// <summary>Renames and moves a module's device (its point follows); null when the module keeps no such device.</summary>
    public static async Task<T?> EditDeviceAsync<T>(this DbContext db, DeviceRegistration edit, CancellationToken ct) where T : class, IPlacedDevice
    {
        var device = await db.Set<T>().SingleOrDefaultAsync(d => d.Id == edit.Id, ct);
        if (device is null)
            return null;
        device.Name = edit.Name.Trim();
        (device.Latitude, device.Longitude, device.ElevationMeters) = (edit.Latitude, edit.Longitude, edit.ElevationMeters);
        device.Location = Geo.GeoMath.Point(edit.Latitude, edit.Longitude);
        await db.SaveChangesAsync(ct);
        return device;
    }
}
