using SafeCities.Modules.Video.Data;
using SafeCities.Modules.Video.Domain;
using SafeCities.Modules.Shared.Devices;
using SafeCities.Modules.Video.Contracts;
using SafeCities.Modules.Video.Evidence;

namespace SafeCities.Modules.Video.Features;

/// <summary>Registers and lists cameras for the platform's device registry; <c>settings</c> is a <see cref="CameraSettings"/>.</summary>
internal sealed class CameraDeviceKindHandler(ISender sender, VideoDbContext db) : IDeviceKindHandler
{
    public async Task<DeviceDto> RegisterAsync(DeviceRegistration device, DeviceSettings settings, CancellationToken ct) =>
        await sender.Send(new RegisterCameraCommand(device, settings.Read(new CameraSettings())), ct);

    public async Task<IReadOnlyList<DeviceDto>> ListAsync(string? kind, CancellationToken ct) => await sender.Send(new ListCamerasQuery(), ct);

    public async Task<DeviceDto?> EditAsync(DeviceRegistration device, CancellationToken ct) => (await db.EditDeviceAsync<Camera>(device, ct))?.ToDto();

    /// <summary>
    /// A camera is heard when it carries out an incident's commands (point, bookmark) or its stream gives a saved clip. It is failing when the
    /// newest of those failed (commands after every retry, a clip that could not be recorded); the last error is that failure.
    /// </summary>
    public async Task<IReadOnlyList<DeviceHeardDto>> HealthAsync(string? kind, CancellationToken ct)
    {
        var commands = db.IncidentCameras.Where(ic => ic.Status == IncidentCameraStatus.Ok || ic.Status == IncidentCameraStatus.Failed)
            .Join(db.IncidentReactions, ic => ic.IncidentId, r => r.IncidentId, (ic, r) => new { ic.CameraId, At = r.ReactedAt, Ok = ic.Status == IncidentCameraStatus.Ok, ic.Failure });
        // A clip that failed for the app's own reasons (the cap, a restart) says nothing about the camera.
        var clips = db.EvidenceClips.Where(c => c.Status != EvidenceClipStatus.Recording
                && (c.Failure == null || !(c.Failure.StartsWith("interrupted") || c.Failure.Contains("MaxConcurrentRecordings"))))
            .Select(c => new { c.CameraId, At = c.SavedAt, Ok = c.Status == EvidenceClipStatus.Saved, c.Failure });
        var cameras = await db.Cameras.AsNoTracking().Select(c => new
        {
            c.Id, c.Name, c.RegisteredAt,
            LastCommandOk = commands.Where(x => x.CameraId == c.Id && x.Ok).Max(x => (DateTimeOffset?)x.At),
            LastClipOk = clips.Where(x => x.CameraId == c.Id && x.Ok).Max(x => (DateTimeOffset?)x.At),
            LastCommandError = commands.Where(x => x.CameraId == c.Id && !x.Ok).OrderByDescending(x => x.At).Select(x => new { x.At, x.Failure }).FirstOrDefault(),
            LastClipError = clips.Where(x => x.CameraId == c.Id && !x.Ok).OrderByDescending(x => x.At).Select(x => new { x.At, x.Failure }).FirstOrDefault(),
        }).ToListAsync(ct);
        return cameras.Select(c =>
        {
            var commandHeard = c.LastCommandOk >= (c.LastClipOk ?? DateTimeOffset.MinValue);
            var heardAt = commandHeard ? c.LastCommandOk : c.LastClipOk;
            var error = c.LastClipError is { } clip && clip.At > (c.LastCommandError?.At ?? DateTimeOffset.MinValue)
                ? (At: (DateTimeOffset?)clip.At, Text: $"clip not recorded: {clip.Failure}")
                : c.LastCommandError is { } command ? (At: (DateTimeOffset?)command.At, Text: $"command failed: {command.Failure}") : (At: null, Text: null);
            return new DeviceHeardDto(c.Id, VideoDeviceKinds.Camera, c.Name, c.RegisteredAt, heardAt,
                heardAt is null ? null : commandHeard ? "incident commands carried out" : "clip recorded from its stream", error.At, error.Text,
                error.At is { } failedAt && failedAt > (heardAt ?? DateTimeOffset.MinValue));
        }).ToList();
    }

    /// <summary>Cameras speak when commanded: their status comes from the outcomes of commands and recordings.</summary>
    public DeviceSilence? ExpectedSilence(string kind) => null;
}
