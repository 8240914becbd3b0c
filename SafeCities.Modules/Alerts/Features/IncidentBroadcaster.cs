using Microsoft.AspNetCore.SignalR;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Realtime;

namespace SafeCities.Modules.Alerts.Features;

/// <summary>Pushes committed incident changes to every connected board. A push failure never undoes or fails the change.</summary>
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
}
