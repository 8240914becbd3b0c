using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Web.Platform.Clock;

namespace SafeCities.Web.Areas.Intelligence.Pages;

/// <summary>Near-repeat (Knox) analysis of one event type over a period and optional area: the table as a heat map with the headline.</summary>
[Authorize(Policy = Policies.IntelligenceAnalysts)]
internal sealed class NearRepeatModel(ISender sender, CityClock clock, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Type { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true)] public double Meters { get; set; } = 100;
    [BindProperty(SupportsGet = true)] public int DistanceBands { get; set; } = 3;
    [BindProperty(SupportsGet = true)] public int Days { get; set; } = 7;
    [BindProperty(SupportsGet = true)] public int DayBands { get; set; } = 3;
    [BindProperty(SupportsGet = true)] public int Permutations { get; set; } = 99;
    [BindProperty(SupportsGet = true)] public int? Seed { get; set; }
    [BindProperty(SupportsGet = true)] public string? District { get; set; }

    public IReadOnlyList<AnalysisTypeDto> Types { get; private set; } = [];
    public IReadOnlyDictionary<string, string> Districts { get; private set; } = new Dictionary<string, string>();
    public NearRepeatResultDto? Result { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Types = await sender.Send(new ListAnalysisTypesQuery(), ct);
        Districts = await sender.Send(new GetDistrictNamesQuery(), ct);
        var today = DateOnly.FromDateTime(clock.ToLocal(time.GetUtcNow()).DateTime);
        (From, To) = (From ?? today.AddDays(-90), To ?? today);
        if (string.IsNullOrEmpty(Type) || !ModelState.IsValid)
            return;
        try
        {
            Result = await sender.Send(new RunNearRepeatQuery(Type, clock.StartOfDay(From.Value), clock.StartOfDay(To.Value.AddDays(1)), Meters, DistanceBands,
                Days, DayBands, Permutations, Seed, District: string.IsNullOrEmpty(District) ? null : District), ct);
        }
        catch (ValidationException ex)
        {
            ModelState.AddValidationErrors(ex);
        }
    }

    /// <summary>The heat class of a cell: by ratio, blank when nothing was expected.</summary>
    public static string Heat(double? ratio) => ratio switch
    {
        null => "nr-none",
        < 0.8 => "nr-low",
        < 1.2 => "nr-even",
        < 1.5 => "nr-1",
        < 2 => "nr-2",
        < 5 => "nr-3",
        _ => "nr-4",
    };
}
