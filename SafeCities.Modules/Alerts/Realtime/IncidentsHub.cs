using Microsoft.AspNetCore.SignalR;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Shared.Security;

namespace SafeCities.Modules.Alerts.Realtime;

/// <summary>
/// Live incident board: <c>/hubs/incidents</c>. Server-to-client only; changes go through the API and pages. On connect every connection
/// joins <c>user:{name}</c> (its user name, lower case), <c>district:{district}</c> when the user has a <see cref="Policies.DistrictClaim"/>,
/// and <c>notices:all</c> for administrators and commanders (who see every officer notice, whatever the district). Incidents and their
/// timelines go to <c>staff</c> only (administrators, commanders, officers, analysts): partner roles such as probation officers may
/// connect for the notices addressed to them, and see nothing else.
/// </summary>
public sealed class IncidentsHub : Hub<IIncidentsClient>
{
    public const string AllNoticesGroup = "notices:all";
    public const string StaffGroup = "staff";

    public static string UserGroup(string name) => $"user:{name.Trim().ToLowerInvariant()}";

    public static string DistrictGroup(string district) => $"district:{district.Trim().ToLowerInvariant()}";

    public override async Task OnConnectedAsync()
    {
        var user = Context.User;
        if (user?.Identity?.Name is { Length: > 0 } name)
            await Groups.AddToGroupAsync(Context.ConnectionId, UserGroup(name));
        if (user is not null)
        {
            foreach (var district in user.FindAll(Policies.DistrictClaim).Select(c => c.Value).Where(v => !string.IsNullOrWhiteSpace(v)).Distinct())
                await Groups.AddToGroupAsync(Context.ConnectionId, DistrictGroup(district));
            if (user.IsInAnyRole(Roles.Commanders))
                await Groups.AddToGroupAsync(Context.ConnectionId, AllNoticesGroup);
            if (user.IsInAnyRole(Roles.Staff))
                await Groups.AddToGroupAsync(Context.ConnectionId, StaffGroup);
        }
        await base.OnConnectedAsync();
    }
}

public interface IIncidentsClient
{
    /// <summary>An incident was opened or changed (joined by another shot, acknowledged, closed).</summary>
    Task IncidentChanged(IncidentDto incident);

    /// <summary>Something happened on an incident's timeline.</summary>
    Task TimelineAppended(TimelineEntryDto entry);

    /// <summary>Officers must know something now (e.g. a reoffender was released into their district).</summary>
    Task OfficerNotified(OfficerNotificationDto notification);

    /// <summary>A commander decided one of this person's approval requests (sent to the requester's <c>user:</c> group only).</summary>
    Task SearchApprovalDecided(SearchApprovalDecisionDto decision);
}
