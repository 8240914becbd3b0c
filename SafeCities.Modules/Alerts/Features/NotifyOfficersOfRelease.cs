using Microsoft.AspNetCore.SignalR;
using SafeCities.Modules.Alerts.Realtime;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Shared.Time;

namespace SafeCities.Modules.Alerts.Contracts
{
    /// <summary>A live notice for officers on the board: who, why, where (district), and who supervises them.</summary>
    /// <param name="ImageUrl">The app's picture of a hit's read (same origin), when the reader uploaded one.</param>
    /// <param name="Badge">A short flag shown above the text: a hit's "UNCONFIRMED — verify plate visually".</param>
    /// <param name="Link">Where the officer acts on it (a hit's responder page, <c>/respond/{incidentId}</c>), if anywhere.</param>
    public sealed record OfficerNotificationDto(Guid Id, string Kind, string Title, string Text, string? District, string? SupervisingOfficer,
        Guid? PersonId, DateTimeOffset At, string? Link = null, string? ImageUrl = null, string? Badge = null);
}

namespace SafeCities.Modules.Alerts.Features
{
    using SafeCities.Modules.Alerts.Contracts;

    /// <summary>
    /// A released reoffender: the officers of the district of their last known address (hub group <c>district:{district}</c>), the
    /// supervising officer (<c>user:{name}</c>) and administrators and commanders (<c>notices:all</c>) are told live; nobody else.
    /// </summary>
    internal sealed class NotifyOfficersOfReleaseHandler(IHubContext<IncidentsHub, IIncidentsClient> hub, CityClock cityClock,
        ILogger<NotifyOfficersOfReleaseHandler> logger)
        : INotificationHandler<ReoffenderReleasedEvent>
    {
        public async ValueTask Handle(ReoffenderReleasedEvent e, CancellationToken cancellationToken)
        {
            var text = $"{e.Name}{(e.DateOfBirth is { } dob ? $" (born {dob:yyyy-MM-dd})" : "")} released from {e.Facility} ({e.Agency}) at {cityClock.Format(e.ReleasedAt, CityTimeFormat.DateTime)}: "
                + string.Join("; ", e.Reasons)
                + (e.LastKnownAddress is null ? "" : $". Last known address: {e.LastKnownAddress}")
                + (e.Plates.Count == 0 ? "" : $". Vehicles: {string.Join(", ", e.Plates)}");
            var notice = new OfficerNotificationDto(e.NotificationId, "ReoffenderReleased", $"Released: {e.Name}", text, e.District, e.SupervisingOfficer,
                e.PersonId, e.ReleasedAt);
            try
            {
                await hub.Clients.Groups(Audience(e)).OfficerNotified(notice);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Could not push release notice {NotificationId} to live boards", e.NotificationId);
            }
        }

        internal static List<string> Audience(ReoffenderReleasedEvent e)
        {
            var groups = new List<string> { IncidentsHub.AllNoticesGroup };
            if (!string.IsNullOrWhiteSpace(e.District))
                groups.Add(IncidentsHub.DistrictGroup(e.District));
            if (!string.IsNullOrWhiteSpace(e.SupervisingOfficer))
                groups.Add(IncidentsHub.UserGroup(e.SupervisingOfficer));
            return groups;
        }
    }
}
