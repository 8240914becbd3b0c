using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Data;
using SafeCities.Modules.Plates.Domain;
using SafeCities.Modules.Shared.Devices;

namespace SafeCities.Modules.Plates.Features;

/// <summary>Registers and lists plate readers for the platform's device registry; <c>settings</c> is a <see cref="PlateReaderSettings"/>.</summary>
internal sealed class PlateReaderDeviceKindHandler(ISender sender, PlatesDbContext db) : IDeviceKindHandler
{
    public async Task<DeviceDto> RegisterAsync(DeviceRegistration device, DeviceSettings settings, CancellationToken ct) =>
        await sender.Send(new RegisterPlateReaderCommand(device, settings.Read(new PlateReaderSettings())), ct);

    public async Task<IReadOnlyList<DeviceDto>> ListAsync(string? kind, CancellationToken ct) => await sender.Send(new ListPlateReadersQuery(), ct);

    public async Task<DeviceDto?> EditAsync(DeviceRegistration device, CancellationToken ct) => (await db.EditDeviceAsync<PlateReader>(device, ct))?.ToDto();

    /// <summary>
    /// A reader is heard through its reads (the latest captured, by the reader/capture-time index) and its status reports; a fault it
    /// reports as open makes it failing.
    /// </summary>
    public async Task<IReadOnlyList<DeviceHeardDto>> HealthAsync(string? kind, CancellationToken ct) =>
        (await db.Readers.AsNoTracking()
            .Select(r => new { r.Id, r.Name, r.RegisteredAt, r.StatusAt, r.Fault, r.FaultSince,
                LastRead = db.Reads.Where(x => x.ReaderId == r.Id).Max(x => (DateTimeOffset?)x.CapturedAt) })
            .ToListAsync(ct))
        .Select(r => r.StatusAt > (r.LastRead ?? DateTimeOffset.MinValue)
            ? new DeviceHeardDto(r.Id, PlatesDeviceKinds.PlateReader, r.Name, r.RegisteredAt, r.StatusAt, "status report", r.FaultSince, r.Fault, r.Fault is not null)
            : new DeviceHeardDto(r.Id, PlatesDeviceKinds.PlateReader, r.Name, r.RegisteredAt, r.LastRead, r.LastRead is null ? null : "plate read",
                r.FaultSince, r.Fault, r.Fault is not null))
        .ToList();

    /// <summary>Readers on a street read all day: late after an hour without a read, silent after 12 hours (quiet streets: configure).</summary>
    public DeviceSilence? ExpectedSilence(string kind) => new(TimeSpan.FromHours(1), TimeSpan.FromHours(12));
}
