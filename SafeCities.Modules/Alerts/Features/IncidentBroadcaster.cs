using Microsoft.AspNetCore.SignalR;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Realtime;

namespace SafeCities.Modules.Alerts.Features;

/// <summary>Pushes committed incident changes, and notices for command staff, to every connected board. A push failure never undoes or fails
/// the change (it is logged).</summary>
internal sealed class IncidentBroadcaster(IHubContext<IncidentsHub, IIncidentsClient> hub, ILogger<IncidentBroadcaster> logger)
{
    public async Task IncidentChangedAsync(IncidentDto incident, TimelineEntryDto? entry = null)
    {
        try
        {
            await hub.Clients.Group(IncidentsHub.StaffGroup).IncidentChanged(incident);
            if (entry is not null)
                await hub.Clients.Group(IncidentsHub.StaffGroup).TimelineAppended(entry);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not push incident {IncidentId} to live boards", incident.Id);
        }
    }

    public async Task TimelineAppendedAsync(TimelineEntryDto entry)
    {
        try
        {
            await hub.Clients.Group(IncidentsHub.StaffGroup).TimelineAppended(entry);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not push a timeline entry of incident {IncidentId} to live boards", entry.IncidentId);
        }
    }

    /// <summary>A notice for administrators and commanders (<c>notices:all</c>) on their boards.</summary>
    public async ValueTask NoticeToCommandAsync(OfficerNotificationDto notice)
    {
        try
        {
            await hub.Clients.Group(IncidentsHub.AllNoticesGroup).OfficerNotified(notice);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not push {Kind} notice {NoticeId} to live boards", notice.Kind, notice.Id);
        }
    }
}
