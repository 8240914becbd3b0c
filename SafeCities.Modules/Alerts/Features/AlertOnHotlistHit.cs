using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;
using Mediator;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Alerts.Realtime;
using SafeCities.Modules.Plates.Contracts;

namespace SafeCities.Modules.Alerts.Features;

/// <summary>
/// A hotlist hit becomes a live alert on every connected command board (kind <c>HotlistHit</c>, with the match kind, the reader and its
/// position). The hit itself is stored by Plates (evidence, listed at <c>/api/v1/plates/hits</c>). Every board receives it: officers'
/// positions are not known to the platform yet, so "officers near the reader" is the reader's name and position in the notice.
/// </summary>
internal sealed class AlertOnHotlistHitHandler(IHubContext<IncidentsHub, IIncidentsClient> hub, ILogger<AlertOnHotlistHitHandler> logger)
    : INotificationHandler<HotlistHitEvent>
{
    public async ValueTask Handle(HotlistHitEvent e, CancellationToken cancellationToken)
    {
        var kind = e.MatchKind == "exact" ? "exact match" : $"{e.MatchKind} match of {e.EntryPlate}";
        var why = e.Reason ?? $"restricted list — contact {e.Owner}";
        var text = $"{e.ReadPlate} ({e.Region}, {kind}) at {e.ReaderName} {e.CapturedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC"
            + $" [{e.Latitude:0.00000}, {e.Longitude:0.00000}] — {e.HotlistName}: {why}"
            + (e.Retroactive ? " (found in past reads when the plate was listed)" : "");
        var notice = new OfficerNotificationDto(e.HitId, "HotlistHit", $"Hotlist hit ({e.AlertLevel}): {e.ReadPlate}", text, null, null, null, e.CapturedAt);
        try
        {
            await hub.Clients.All.OfficerNotified(notice);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not push hotlist hit {HitId} to live boards", e.HitId);
        }
    }
}
