using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Platform.Contracts;

namespace SafeCities.Modules.Alerts.Features;

/// <summary>
/// A device went offline or came back (Platform's availability check): administrators and commanders (<c>notices:all</c>) are told live on
/// the board, with a link to the device-health page. Not durable, like the spike notice: the health page always shows the current state.
/// </summary>
internal sealed class NotifyCommandOfDeviceAvailabilityHandler(IncidentBroadcaster broadcaster)
    : INotificationHandler<DeviceWentOfflineEvent>, INotificationHandler<DeviceCameBackEvent>
{
    private const string Link = "/Admin/DeviceHealth?status=silent";

    public ValueTask Handle(DeviceWentOfflineEvent e, CancellationToken cancellationToken) => SendAsync(new OfficerNotificationDto(e.Id, "DeviceOffline",
        $"Offline: {e.Name}", $"The {e.Kind} {e.Name} has not been heard {(e.LastHeardAt is null ? "since it was registered" : "for longer than its kind allows")}.",
        null, null, null, e.At, Link));

    public ValueTask Handle(DeviceCameBackEvent e, CancellationToken cancellationToken) => SendAsync(new OfficerNotificationDto(e.Id, "DeviceBack",
        $"Back: {e.Name}", $"The {e.Kind} {e.Name} is heard again (offline for {Duration(e.At - e.OfflineSince)}).", null, null, null, e.At, Link));

    private ValueTask SendAsync(OfficerNotificationDto notice) => broadcaster.NoticeToCommandAsync(notice);

    private static string Duration(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours} h {t.Minutes} min" : $"{Math.Max(1, (int)t.TotalMinutes)} min";
}
