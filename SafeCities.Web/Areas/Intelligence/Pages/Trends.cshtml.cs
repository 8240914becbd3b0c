using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Platform.Contracts;

namespace SafeCities.Web.Areas.Intelligence.Pages;

/// <summary>Trends for command staff: hour × weekday heat table, weekly chart, week-over-week and year-over-year changes, current spikes.</summary>
[Authorize(Policy = Policies.CommandStaff)]
internal sealed class TrendsModel(ISender sender) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Type { get; set; }
    [BindProperty(SupportsGet = true)] public string? District { get; set; }
    [BindProperty(SupportsGet = true)] public int Weeks { get; set; } = 12;

    public IReadOnlyList<AnalysisTypeDto> Types { get; private set; } = [];
    public TrendsDto? Trends { get; private set; }
    public object ChartData { get; private set; } = new { };
    public int HeatMax { get; private set; }
    /// <summary>The districts' names by code: the analysis groups by code, the page names them.</summary>
    public IReadOnlyDictionary<string, string> DistrictNames { get; private set; } = new Dictionary<string, string>();

    public async Task OnGetAsync(CancellationToken ct)
    {
        Types = await sender.Send(new ListAnalysisTypesQuery(), ct);
        DistrictNames = await sender.Send(new GetDistrictNamesQuery(), ct);
        try
        {
            Trends = await sender.Send(new GetTrendsQuery(string.IsNullOrEmpty(Type) ? null : Type, string.IsNullOrEmpty(District) ? null : District, Weeks), ct);
            HeatMax = Trends.HourByWeekday.SelectMany(d => d).DefaultIfEmpty(0).Max();
            ChartData = new { weekEnds = Trends.WeekEnds, series = Trends.Weekly, labels = Trends.Weekly.Keys.ToDictionary(k => k, TypeLabel) };
        }
        catch (ValidationException ex)
        {
            ModelState.AddValidationErrors(ex);
        }
    }

    /// <summary>A type as the type list names it ("Calls for service: assault" for <c>call:assault</c>).</summary>
    public string TypeLabel(string type) => Types.FirstOrDefault(t => t.Type == type)?.Label ?? type;

    public string Heat(int count) => count == 0 || HeatMax == 0 ? "heat-0" : $"heat-{Math.Clamp((int)Math.Ceiling(4.0 * count / HeatMax), 1, 4)}";

    public static string Change(double? change) => change is { } c ? (c >= 0 ? "+" : "") + c.ToString("P0") : "–";
}
