using NetTopologySuite.Geometries;
using SafeCities.Modules.Shared.Devices;
using SafeCities.Modules.Video.Contracts;

namespace SafeCities.Modules.Video.Domain;

internal sealed class Camera : IPlacedDevice
{
    public const string Fixed = CameraTypes.Fixed;
    public const string Ptz = CameraTypes.Ptz;
    public const double DefaultTiltMinDegrees = -90;
    public const double DefaultTiltMaxDegrees = 20;
    public const double DefaultMountHeightMeters = 6;

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
    /// <summary>PTZ: pan range clockwise from <see cref="PanMinDegrees"/> to <see cref="PanMaxDegrees"/> (compass bearings); null = 360°.</summary>
    public double? PanMinDegrees { get; set; }
    public double? PanMaxDegrees { get; set; }
    public double TiltMinDegrees { get; set; } = DefaultTiltMinDegrees;
    public double TiltMaxDegrees { get; set; } = DefaultTiltMaxDegrees;
    public double MountHeightMeters { get; set; } = DefaultMountHeightMeters;
    public string? StreamUrl { get; set; }
    public string? RecordingSystemId { get; set; }
    public DateTimeOffset RegisteredAt { get; init; }

    public DeviceDto ToDto() => new(Id, VideoDeviceKinds.Camera, Name, Latitude, Longitude, ElevationMeters, RegisteredAt,
        new Dictionary<string, object?>
        {
            ["type"] = Type, ["headingDegrees"] = HeadingDegrees, ["fieldOfViewDegrees"] = FieldOfViewDegrees, ["rangeMeters"] = RangeMeters,
            ["panMinDegrees"] = PanMinDegrees, ["panMaxDegrees"] = PanMaxDegrees, ["tiltMinDegrees"] = TiltMinDegrees,
            ["tiltMaxDegrees"] = TiltMaxDegrees, ["mountHeightMeters"] = MountHeightMeters,
            ["streamUrl"] = StreamUrl, ["recordingSystemId"] = RecordingSystemId,
        });

    public CameraDto ToCameraDto() => new(Id, Name, Type, Latitude, Longitude, HeadingDegrees, FieldOfViewDegrees, RangeMeters, PanMinDegrees,
        PanMaxDegrees, TiltMinDegrees, TiltMaxDegrees, MountHeightMeters, StreamUrl, RecordingSystemId, RegisteredAt);
}
