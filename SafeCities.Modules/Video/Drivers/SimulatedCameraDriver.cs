using System.Collections.Concurrent;
using SafeCities.Modules.Video.Domain;

namespace SafeCities.Modules.Video.Drivers;

/// <summary>One command as the simulated driver received it, including refused attempts.</summary>
internal sealed record SimulatedCameraCommand(string Command, Guid CameraId, DateTimeOffset At, bool Succeeded, double? PanDegrees = null,
    double? TiltDegrees = null, DateTimeOffset? From = null, DateTimeOffset? To = null, string? Label = null)
{
    public const string Point = "point";
    public const string Bookmark = "bookmark";
}

/// <summary>
/// The default driver (the demo city runs on one laptop): remembers every command and each PTZ's position, and refuses
/// every command for the cameras told to fail (<see cref="FailFor"/>) until they <see cref="Recover"/>.
/// </summary>
internal sealed class SimulatedCameraDriver(TimeProvider clock) : ICameraDriver
{
    private const int Kept = 10_000;
    private readonly ConcurrentQueue<SimulatedCameraCommand> log = new();
    private readonly ConcurrentDictionary<Guid, (double Pan, double Tilt)> positions = new();
    private readonly ConcurrentDictionary<Guid, bool> failing = new();

    public Task PointAsync(Camera camera, double panDegrees, double tiltDegrees, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var ok = !failing.ContainsKey(camera.Id);
        Record(new SimulatedCameraCommand(SimulatedCameraCommand.Point, camera.Id, clock.GetUtcNow(), ok, panDegrees, tiltDegrees));
        if (!ok)
            throw new CameraDriverException("camera not responding (simulated fault)");
        positions[camera.Id] = (panDegrees, tiltDegrees);
        return Task.CompletedTask;
    }

    public Task BookmarkAsync(Camera camera, DateTimeOffset from, DateTimeOffset to, string label, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var ok = !failing.ContainsKey(camera.Id);
        Record(new SimulatedCameraCommand(SimulatedCameraCommand.Bookmark, camera.Id, clock.GetUtcNow(), ok, From: from, To: to, Label: label));
        return ok ? Task.CompletedTask : throw new CameraDriverException("recording system refused the bookmark (simulated fault)");
    }

    /// <summary>Every later command to this camera fails.</summary>
    public void FailFor(Guid cameraId) => failing[cameraId] = true;

    public void Recover(Guid cameraId) => failing.TryRemove(cameraId, out _);

    /// <summary>Commands received (the most recent <see cref="Kept"/>), oldest first.</summary>
    public IReadOnlyList<SimulatedCameraCommand> Commands => log.ToArray();

    public IReadOnlyList<SimulatedCameraCommand> CommandsFor(Guid cameraId) => log.Where(c => c.CameraId == cameraId).ToList();

    public (double Pan, double Tilt)? PositionOf(Guid cameraId) => positions.TryGetValue(cameraId, out var p) ? p : null;

    private void Record(SimulatedCameraCommand command)
    {
        log.Enqueue(command);
        while (log.Count > Kept && log.TryDequeue(out _))
        {
        }
    }
}
