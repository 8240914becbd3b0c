using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Intelligence.Contracts;

namespace SafeCities.Web.Areas.Intelligence.Pages;

/// <summary>
/// Hotspot forecasts for analysts and command staff: the flagged cells of the next shift on a map with why each is there, every model's
/// weekly scores beside the baselines, a plain verdict, and how much of the signal comes from the platform's sensors vs reported crime.
/// </summary>
[Authorize(Policy = Policies.IntelligenceAnalysts)]
internal sealed class HotspotsModel(ISender sender) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "type")] public string? CrimeType { get; set; }
    [BindProperty(SupportsGet = true, Name = "model")] public string? ModelName { get; set; }

    public HotspotOverviewDto? Overview { get; private set; }
    public object MapData { get; private set; } = Array.Empty<object>();
    public object ChartData { get; private set; } = Array.Empty<object>();

    public async Task OnGetAsync(CancellationToken ct)
    {
        try
        {
            Overview = await sender.Send(new GetHotspotOverviewQuery(CrimeType, ModelName), ct);
            MapData = (object?)Overview.Forecast?.Cells ?? Array.Empty<object>();
            ChartData = Overview.Weeks;
        }
        catch (ValidationException ex)
        {
            ModelState.AddValidationErrors(ex);
        }
    }
}
