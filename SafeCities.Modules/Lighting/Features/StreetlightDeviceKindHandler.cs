using SafeCities.Modules.Lighting.Contracts;
using SafeCities.Modules.Lighting.Data;
using SafeCities.Modules.Lighting.Domain;
using SafeCities.Modules.Shared.Devices;

namespace SafeCities.Modules.Lighting.Features;

/// <summary>Registers and lists streetlights for the platform's device registry; <c>settings</c> is a <see cref="StreetlightSettings"/>.</summary>
internal sealed class StreetlightDeviceKindHandler(ISender sender, LightingDbContext db) : IDeviceKindHandler
{
    public async Task<DeviceDto> RegisterAsync(DeviceRegistration device, DeviceSettings settings, CancellationToken ct) =>
        await sender.Send(new RegisterStreetlightCommand(device, settings.Read(new StreetlightSettings())), ct);

    public async Task<IReadOnlyList<DeviceDto>> ListAsync(string? kind, CancellationToken ct) => await sender.Send(new ListStreetlightsQuery(), ct);

    public async Task<DeviceDto?> EditAsync(DeviceRegistration device, CancellationToken ct) => (await db.EditDeviceAsync<Streetlight>(device, ct))?.ToDto();

    /// <summary>
    /// A light is heard when it answers a level command or reports a fault. It is failing when its latest level command failed (after every
    /// retry) or it has an open fault (a work order); the last error is the newer of the two.
    /// </summary>
    public async Task<IReadOnlyList<DeviceHeardDto>> HealthAsync(string? kind, CancellationToken ct)
    {
        var lights = await db.Streetlights.AsNoTracking().Select(l => new
        {
            l.Id, l.Name, l.RegisteredAt,
            LastOk = db.LevelChanges.Where(c => c.LightId == l.Id && c.Outcome == "ok").Max(c => (DateTimeOffset?)c.At),
            LastCommand = db.LevelChanges.Where(c => c.LightId == l.Id).OrderByDescending(c => c.At).Select(c => new { c.At, c.Outcome, c.Error }).FirstOrDefault(),
            LastFault = db.WorkOrders.Where(w => w.LightId == l.Id).Max(w => (DateTimeOffset?)w.FaultAt),
            OpenFault = db.WorkOrders.Where(w => w.LightId == l.Id && w.ClosedAt == null).OrderByDescending(w => w.FaultAt)
                .Select(w => new { w.FaultKind, w.FaultAt }).FirstOrDefault(),
        }).ToListAsync(ct);
        return lights.Select(l =>
        {
            var answered = l.LastOk > (l.LastFault ?? DateTimeOffset.MinValue);
            var heardAt = answered ? l.LastOk : l.LastFault;
            var commandFailed = l.LastCommand is { Outcome: not "ok" };
            (DateTimeOffset? At, string? Text) error = (commandFailed, l.OpenFault) switch
            {
                (true, { } f) when f.FaultAt > l.LastCommand!.At => (f.FaultAt, $"fault open: {f.FaultKind}"),
                (true, _) => (l.LastCommand!.At, $"level command failed: {l.LastCommand.Error ?? "no answer"}"),
                (false, { } f) => (f.FaultAt, $"fault open: {f.FaultKind}"),
                _ => (null, null),
            };
            return new DeviceHeardDto(l.Id, LightingDeviceKinds.Streetlight, l.Name, l.RegisteredAt, heardAt,
                heardAt is null ? null : answered ? "level command answered" : "fault report", error.At, error.Text, error.Text is not null);
        }).ToList();
    }

    /// <summary>Lights speak when commanded: their status comes from the commands' outcomes and their faults.</summary>
    public DeviceSilence? ExpectedSilence(string kind) => null;
}
