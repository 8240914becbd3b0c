using SafeCities.Modules.Shared.Devices;
using NetTopologySuite.Geometries;

namespace SafeCities.Modules.Sensors.Domain;

internal sealed class SensorDevice : IPlacedDevice
{
    public Guid Id { get; init; }
    public required string Kind { get; init; }
    public required string Name { get; set; }
    public double Latitude { get; set; }
    public double Longitude { get; set; }
    public double? ElevationMeters { get; set; }
    public required Point Location { get; set; }
    public DateTimeOffset RegisteredAt { get; init; }
    public DateTimeOffset? LastSeenAt { get; set; }
}
