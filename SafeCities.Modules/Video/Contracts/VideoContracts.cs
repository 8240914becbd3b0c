using Mediator;
using SafeCities.Modules.Shared.Devices;

namespace SafeCities.Modules.Video.Contracts;

/// <param name="Type">"fixed" (default) or "ptz".</param>
/// <param name="HeadingDegrees">Fixed cameras: where the lens points, degrees clockwise from north.</param>
/// <param name="FieldOfViewDegrees">Fixed cameras: horizontal field of view.</param>
/// <param name="RangeMeters">How far the camera usefully sees; default 150 m.</param>
/// <param name="StreamUrl">Live stream link handed to responders (rtsp://, https:// HLS/WebRTC).</param>
public sealed record CameraSettings(string? Type = null, double? HeadingDegrees = null, double? FieldOfViewDegrees = null, double? RangeMeters = null,
    string? StreamUrl = null, string? RecordingSystemId = null);

public sealed record RegisterCameraCommand(DeviceRegistration Device, CameraSettings Settings) : ICommand<DeviceDto>;

public sealed record ListCamerasQuery : IQuery<IReadOnlyList<DeviceDto>>;
