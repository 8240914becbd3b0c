using SafeCities.Modules.Platform.Contracts;
using SafeCities.Modules.Platform.Data;

namespace SafeCities.Modules.Platform.Devices;

/// <summary>A device the availability check has found offline, since when (one row while it is; deleted when it is heard again).</summary>
internal sealed class OfflineDevice
{
    public Guid DeviceId { get; init; }
    public required string Kind { get; init; }
    public required string Name { get; set; }
    public DateTimeOffset Since { get; init; }
}

/// <summary>
/// The availability check (recurring job <c>platform:device-availability</c>, every minute, one node at a time): judges every device as the
/// health page does and compares with the devices it already found offline. A device now silent past its kind's threshold is recorded and
/// <see cref="DeviceWentOfflineEvent"/> is published — once; one heard again is removed and <see cref="DeviceCameBackEvent"/> published.
/// Kinds that speak only when commanded (cameras, streetlights) have no silence threshold and never go "offline" here: their failures are
/// on the health page. The events are published after the change commits; a crash between the two loses that notice, never the state.
/// </summary>
internal sealed class DeviceAvailabilityJob(PlatformDbContext db, ISender sender, IPublisher publisher, TimeProvider clock, ILogger<DeviceAvailabilityJob> logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var health = (await sender.Send(new ListDeviceHealthQuery(), ct)).ToDictionary(d => d.Id);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(hashtext('platform.device_availability'))", ct);
        var offline = await db.OfflineDevices.ToDictionaryAsync(o => o.DeviceId, ct);
        var events = new List<INotification>();
        foreach (var d in health.Values.Where(d => d.Status == DeviceHealthStatus.Silent && !offline.ContainsKey(d.Id)))
        {
            db.OfflineDevices.Add(new OfflineDevice { DeviceId = d.Id, Kind = d.Kind, Name = d.Name, Since = now });
            events.Add(new DeviceWentOfflineEvent(Guid.CreateVersion7(), d.Id, d.Kind, d.Name, d.LastHeardAt, now));
        }
        foreach (var o in offline.Values.Where(o => !health.TryGetValue(o.DeviceId, out var d) || d.Status != DeviceHealthStatus.Silent))
        {
            db.OfflineDevices.Remove(o);
            // A device deleted meanwhile is not "back": it is only forgotten.
            if (health.ContainsKey(o.DeviceId))
                events.Add(new DeviceCameBackEvent(Guid.CreateVersion7(), o.DeviceId, o.Kind, o.Name, o.Since, now));
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        foreach (var e in events)
            await publisher.Publish(e, ct);
        if (events.Count > 0)
            logger.LogInformation("Device availability: {Offline} went offline, {Back} came back", events.OfType<DeviceWentOfflineEvent>().Count(),
                events.OfType<DeviceCameBackEvent>().Count());
    }
}
