using SafeCities.Modules.Video.Data;
using SafeCities.Modules.Video.Domain;
using SafeCities.Modules.Shared.Devices;
using SafeCities.Modules.Video.Contracts;

namespace SafeCities.Modules.Video.Features;

/// <summary>Registers and lists cameras for the platform's device registry; <c>settings</c> is a <see cref="CameraSettings"/>.</summary>
internal sealed class CameraDeviceKindHandler(ISender sender, VideoDbContext db) : IDeviceKindHandler
{
    public async Task<DeviceDto> RegisterAsync(DeviceRegistration device, DeviceSettings settings, CancellationToken ct) =>
        await sender.Send(new RegisterCameraCommand(device, settings.Read(new CameraSettings())), ct);

    public async Task<IReadOnlyList<DeviceDto>> ListAsync(string? kind, CancellationToken ct) => await sender.Send(new ListCamerasQuery(), ct);

    public async Task<DeviceDto?> EditAsync(DeviceRegistration device, CancellationToken ct) => (await db.EditDeviceAsync<Camera>(device, ct))?.ToDto();
}
