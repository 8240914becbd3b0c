using Microsoft.AspNetCore.SignalR;
using SafeCities.Modules.Alerts.Contracts;

namespace SafeCities.Modules.Alerts.Realtime;

/// <summary>Live incident board: <c>/hubs/incidents</c>. Server-to-client only; changes go through the API and pages.</summary>
public sealed class IncidentsHub : Hub<IIncidentsClient>;

public interface IIncidentsClient
{
    /// <summary>An incident was opened or changed (joined by another shot, acknowledged, closed).</summary>
    Task IncidentChanged(IncidentDto incident);

    /// <summary>Something happened on an incident's timeline.</summary>
    Task TimelineAppended(TimelineEntryDto entry);

    /// <summary>Officers must know something now (e.g. a reoffender was released into their district).</summary>
    Task OfficerNotified(OfficerNotificationDto notification);
}
