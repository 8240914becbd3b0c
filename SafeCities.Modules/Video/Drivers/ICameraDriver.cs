using SafeCities.Modules.Video.Domain;

namespace SafeCities.Modules.Video.Drivers;

/// <summary>
/// How Video reaches cameras and the recording system. The simulated driver is the default; real protocols (ONVIF PTZ,
/// a VMS bookmark API) are added as other implementations, never as special cases in the reaction.
/// Implementations throw on failure (any exception); the caller retries and reports.
/// </summary>
internal interface ICameraDriver
{
    /// <summary>Turns a PTZ camera to a compass bearing (degrees clockwise from north) and a tilt (degrees, negative below the horizon).
    /// A real driver converts the bearing to the camera's own pan coordinates with its calibration.</summary>
    Task PointAsync(Camera camera, double panDegrees, double tiltDegrees, CancellationToken cancellationToken);

    /// <summary>Marks a stretch of the camera's recording so that it is kept and found again.</summary>
    Task BookmarkAsync(Camera camera, DateTimeOffset from, DateTimeOffset to, string label, CancellationToken cancellationToken);
}

internal sealed class CameraDriverException(string message) : Exception(message);
