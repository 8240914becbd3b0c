using System.Globalization;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Web.Platform.Clock;

namespace SafeCities.Web.Areas.Intelligence.Pages;

/// <summary>Under-reporting: the share of sensor-detected gunfire with no gunfire call for service, per district and hour, on a map and a table.</summary>
[Authorize(Policy = Policies.IntelligenceAnalysts)]
internal sealed class GunfireReportingModel(ISender sender, CityClock clock, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true)] public double Meters { get; set; } = 300;
    [BindProperty(SupportsGet = true)] public double MinutesBefore { get; set; } = 5;
    [BindProperty(SupportsGet = true)] public double MinutesAfter { get; set; } = 30;
    /// <summary>Comma-separated call types; empty = the configured list.</summary>
    [BindProperty(SupportsGet = true)] public string? CallTypes { get; set; }

    public GunfireReportingDto? Result { get; private set; }
    public object MapData { get; private set; } = Array.Empty<object>();
    public string CsvLink { get; private set; } = "";
    /// <summary>The districts' names by code: the analysis groups by code, the page names them.</summary>
    public IReadOnlyDictionary<string, string> DistrictNames { get; private set; } = new Dictionary<string, string>();

    public async Task OnGetAsync(CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.ToLocal(time.GetUtcNow()).DateTime);
        (From, To) = (From ?? today.AddDays(-90), To ?? today);
        if (!ModelState.IsValid)
            return;
        var types = CallTypes?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var query = new GetGunfireReportingQuery(clock.StartOfDay(From.Value), clock.StartOfDay(To.Value.AddDays(1)), Meters, MinutesBefore, MinutesAfter,
            types is { Length: > 0 } ? types : null);
        try
        {
            Result = await sender.Send(query, ct);
            DistrictNames = await sender.Send(new GetDistrictNamesQuery(), ct);
            MapData = Result.Detections.Select(d => new { d.Latitude, d.Longitude, d.Called, d.At, District = DistrictNames.NameOf(d.District) });
            CsvLink = "/api/v1/intelligence/analysis/gunfire-reporting.csv?" + string.Join("&", new[]
            {
                $"from={Uri.EscapeDataString(query.From.ToString("O"))}", $"to={Uri.EscapeDataString(query.To.ToString("O"))}",
                string.Create(CultureInfo.InvariantCulture, $"maxMeters={Meters}"), string.Create(CultureInfo.InvariantCulture, $"minutesBefore={MinutesBefore}"),
                string.Create(CultureInfo.InvariantCulture, $"minutesAfter={MinutesAfter}"),
            }.Concat(Result.CallTypes.Select(c => $"callType={Uri.EscapeDataString(c)}")));
        }
        catch (ValidationException ex)
        {
            ModelState.AddValidationErrors(ex);
        }
    }
}
