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
    /// <summary>When the reader last reported its status (<c>PUT /api/v1/plates/readers/status</c>); null when it never did.</summary>
    public DateTimeOffset? StatusAt { get; set; }
    public const int MaxFaultLength = 200;
    /// <summary>The fault the reader reports as still open ("lens obstructed", "IR illuminator failed"), in its own words; null when none.</summary>
    public string? Fault { get; set; }
    /// <summary>Since when <see cref="Fault"/> has been reported without a break.</summary>
    public DateTimeOffset? FaultSince { get; set; }

    public DeviceDto ToDto() => new(Id, PlatesDeviceKinds.PlateReader, Name, Latitude, Longitude, ElevationMeters, RegisteredAt,
        new Dictionary<string, object?> { ["headingDegrees"] = HeadingDegrees, ["lanes"] = Lanes });
}
