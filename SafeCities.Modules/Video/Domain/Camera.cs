using NetTopologySuite.Geometries;
using SafeCities.Modules.Shared.Devices;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Video.Domain;

internal sealed class Camera
{
    public const string Fixed = "fixed";
    public const string Ptz = "ptz";

    public Guid Id { get; init; }
    public required string Name { get; set; }
    public double Latitude { get; set; }
    public double Longitude { get; set; }
    public double? ElevationMeters { get; set; }
    public required Point Location { get; set; }
    public required string Type { get; set; }
    public double? HeadingDegrees { get; set; }
    public double? FieldOfViewDegrees { get; set; }
    public double RangeMeters { get; set; }
    public string? StreamUrl { get; set; }
    public string? RecordingSystemId { get; set; }
    public DateTimeOffset RegisteredAt { get; init; }

    public DeviceDto ToDto() => new(Id, DeviceKinds.Camera, Name, Latitude, Longitude, ElevationMeters, RegisteredAt,
        new Dictionary<string, object?>
        {
            ["type"] = Type, ["headingDegrees"] = HeadingDegrees, ["fieldOfViewDegrees"] = FieldOfViewDegrees, ["rangeMeters"] = RangeMeters,
            ["streamUrl"] = StreamUrl, ["recordingSystemId"] = RecordingSystemId,
        });
}
