using SafeCities.Modules.Shared.Devices;

namespace SafeCities.Modules.Video.Contracts;

/// <param name="Type">"fixed" (default) or "ptz".</param>
/// <param name="HeadingDegrees">Fixed cameras: where the lens points, degrees clockwise from north.</param>
/// <param name="FieldOfViewDegrees">Fixed cameras: horizontal field of view.</param>
/// <param name="RangeMeters">How far the camera usefully sees; default 150 m.</param>
/// <param name="StreamUrl">Live stream link handed to responders (rtsp://, https:// HLS/WebRTC).</param>
/// <param name="PanMinDegrees">PTZ only: the pan range runs clockwise from this compass bearing to <paramref name="PanMaxDegrees"/>
/// (it may wrap through north, e.g. 300 → 60). Give both or neither; a PTZ without a range pans 360°.</param>
/// <param name="PanMaxDegrees">PTZ only: end of the pan range (see <paramref name="PanMinDegrees"/>).</param>
/// <param name="TiltMinDegrees">PTZ only: lowest tilt, degrees (−90 straight down, the default).</param>
/// <param name="TiltMaxDegrees">PTZ only: highest tilt, degrees (default 20).</param>
/// <param name="MountHeightMeters">Height of the lens above the street (default 6 m); sets the PTZ tilt toward an incident.</param>
public sealed record CameraSettings(string? Type = null, double? HeadingDegrees = null, double? FieldOfViewDegrees = null, double? RangeMeters = null,
    string? StreamUrl = null, string? RecordingSystemId = null, double? PanMinDegrees = null, double? PanMaxDegrees = null,
    double? TiltMinDegrees = null, double? TiltMaxDegrees = null, double? MountHeightMeters = null);

public sealed record RegisterCameraCommand(DeviceRegistration Device, CameraSettings Settings) : ICommand<DeviceDto>;

/// <summary>Cameras as generic devices (the platform's device list).</summary>
public sealed record ListCamerasQuery : IQuery<IReadOnlyList<DeviceDto>>;

public static class CameraTypes
{
    public const string Fixed = "fixed";
    public const string Ptz = "ptz";
}

/// <summary>A camera with everything needed to draw what it sees (fixed: a cone; PTZ: its range, limited to its pan range).</summary>
public sealed record CameraDto(Guid Id, string Name, string Type, double Latitude, double Longitude, double? HeadingDegrees,
    double? FieldOfViewDegrees, double RangeMeters, double? PanMinDegrees, double? PanMaxDegrees, double TiltMinDegrees, double TiltMaxDegrees,
    double MountHeightMeters, string? StreamUrl, string? RecordingSystemId, DateTimeOffset RegisteredAt);

/// <summary>Every camera, by name.</summary>
public sealed record ListCameraDetailsQuery : IQuery<IReadOnlyList<CameraDto>>;
