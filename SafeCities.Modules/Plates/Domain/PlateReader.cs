using NetTopologySuite.Geometries;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Shared.Devices;

namespace SafeCities.Modules.Plates.Domain;

internal sealed class PlateReader : IPlacedDevice
{
    public Guid Id { get; init; }
    public required string Name { get; set; }
    public double Latitude { get; set; }
    public double Longitude { get; set; }
    public double? ElevationMeters { get; set; }
    public required Point Location { get; set; }
    public double? HeadingDegrees { get; set; }
    public int Lanes { get; set; }
    public DateTimeOffset RegisteredAt { get; init; }

    public DeviceDto ToDto() => new(Id, PlatesDeviceKinds.PlateReader, Name, Latitude, Longitude, ElevationMeters, RegisteredAt,
        new Dictionary<string, object?> { ["headingDegrees"] = HeadingDegrees, ["lanes"] = Lanes });
}
