using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Web.Platform.Clock;

namespace SafeCities.Web.Areas.Plates.Pages.Admin;

/// <summary>Hit statistics for administrators (ADR 0043): per reader the misread rate (a high one flagged), and per month, reader, list and match kind.</summary>
[Authorize(Policy = Policies.Administrators)]
internal sealed class HitStatisticsModel(ISender sender, CityClock city, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public int Months { get; set; } = 12;
    public HitStatisticsDto Statistics { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Months = Math.Clamp(Months, 1, 24);
        var (from, to) = CityMonths.Last(city, clock.GetUtcNow(), Months);
        Statistics = await sender.Send(new GetHitStatisticsQuery(from, to, city.Id), ct);
    }
}
