using System.Globalization;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Intelligence.Contracts;

namespace SafeCities.Modules.Alerts.Features;

/// <summary>
/// An unusual count of one type in a district (Intelligence's hourly spike check): administrators and commanders (<c>notices:all</c>) are
/// told live on the board, with a link to the trends page for that district and type. Not durable: a notice lost in a crash is visible on
/// the trends page, which recomputes the spikes.
/// </summary>
internal sealed class NotifyCommandOfSpikeHandler(IncidentBroadcaster broadcaster)
    : INotificationHandler<CrimeSpikeDetectedEvent>
{
    public async ValueTask Handle(CrimeSpikeDetectedEvent e, CancellationToken cancellationToken)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{e.TypeName} — {e.Count} in {e.DistrictName} in the last 24 hours; usual is {e.BaselinePerDay:0.#} a day (p {(e.PValue < 0.0001 ? "< 0.0001" : "= " + e.PValue.ToString("0.####", CultureInfo.InvariantCulture))}, {e.Model}).");
        var link = $"/Intelligence/Trends?type={Uri.EscapeDataString(e.Type)}&district={Uri.EscapeDataString(e.District)}";
        await broadcaster.NoticeToCommandAsync(new OfficerNotificationDto(e.Id, "CrimeSpike", $"Unusual: {e.Count} in {e.DistrictName} ({e.TypeName})", text, null, null,
            null, e.At, link));
    }
}
