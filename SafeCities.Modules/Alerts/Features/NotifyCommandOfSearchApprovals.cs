using Microsoft.AspNetCore.SignalR;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Realtime;
using SafeCities.Modules.Platform.Contracts;

namespace SafeCities.Modules.Alerts.Features;

/// <summary>
/// A look-up waits for a supervisor (Platform's approval queue): administrators and commanders (<c>notices:all</c>) are told live on the board,
/// with a link to the queue. Not durable: the queue page always shows what waits.
/// </summary>
internal sealed class NotifyCommandOfSearchApprovalsHandler(IncidentBroadcaster broadcaster)
    : INotificationHandler<SearchApprovalRequestedEvent>
{
    public async ValueTask Handle(SearchApprovalRequestedEvent e, CancellationToken cancellationToken)
    {
        await broadcaster.NoticeToCommandAsync(new OfficerNotificationDto(e.Id, "SearchApproval", $"Approval asked: {e.LookupKind}",
            $"{e.RequestedBy} asks to run a {e.LookupKind} look-up ({string.Join("; ", e.Reasons)}).", null, null, null, e.At, $"/Approvals#request-{e.Id}"));
    }
}

/// <summary>
/// A commander decided a request: the person who asked is told live, to their own connections only (<c>user:{name}</c>), so the page where the
/// look-up waits turns into "Approved — run it" or "Denied" and the reason without a reload. Not durable, like the queue's notice.
/// </summary>
internal sealed class NotifyRequesterOfSearchApprovalDecisionHandler(IHubContext<IncidentsHub, IIncidentsClient> hub,
    ILogger<NotifyRequesterOfSearchApprovalDecisionHandler> logger) : INotificationHandler<SearchApprovalDecidedEvent>
{
    public async ValueTask Handle(SearchApprovalDecidedEvent e, CancellationToken cancellationToken)
    {
        try
        {
            await hub.Clients.Group(IncidentsHub.UserGroup(e.RequestedBy))
                .SearchApprovalDecided(new SearchApprovalDecisionDto(e.Id, e.Status, e.DecidedBy, e.DecidedAt, e.Reason, e.ExpiresAt));
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not push the decision on approval {ApprovalId} to its requester", e.Id);
        }
    }
}
