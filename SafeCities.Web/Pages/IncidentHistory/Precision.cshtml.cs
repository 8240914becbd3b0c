using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Web.Platform.Clock;

namespace SafeCities.Web.Pages.IncidentHistory;

/// <summary>Alert precision per source and month with its Wilson 95 % interval, and the after-the-fact corrections (ADR 0044), for analysts and oversight.</summary>
[Authorize(Policy = Policies.IncidentHistoryReaders)]
internal sealed class PrecisionModel(ISender sender, CityClock city, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public int Months { get; set; } = 12;
    public AlertPrecisionDto Precision { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Months = Math.Clamp(Months, 1, 24);
        var (from, to) = CityMonths.Last(city, clock.GetUtcNow(), Months);
        Precision = await sender.Send(new GetAlertPrecisionQuery(from, to, city.Id), ct);
    }
}
