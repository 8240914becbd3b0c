using System.Globalization;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.WebUtilities;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Platform.Contracts;
using SafeCities.Web.Platform.Clock;

namespace SafeCities.Web.Pages.IncidentHistory;

/// <summary>
/// The incident history for command staff and oversight: incidents (closed by default) by time range in the city's time zone, kind, outcome
/// and place (a point picked on the map with a radius, or the map's area), 25 per page; the same filter exports as CSV and GeoJSON.
/// </summary>
[Authorize(Policy = Policies.IncidentHistoryReaders)]
internal sealed class IndexModel(ISender sender, CityClock clock) : PageModel
{
    public const int PageSize = 25;

    /// <summary>City time (the form's datetime-local), converted with the city's zone.</summary>
    [BindProperty(SupportsGet = true)] public DateTime? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateTime? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    /// <summary>closed (the default), open, acknowledged, or "all".</summary>
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Outcome { get; set; }
    [BindProperty(SupportsGet = true)] public string? District { get; set; }
    [BindProperty(SupportsGet = true)] public double? Latitude { get; set; }
    [BindProperty(SupportsGet = true)] public double? Longitude { get; set; }
    [BindProperty(SupportsGet = true)] public double? RadiusMeters { get; set; }
    [BindProperty(SupportsGet = true)] public double? South { get; set; }
    [BindProperty(SupportsGet = true)] public double? West { get; set; }
    [BindProperty(SupportsGet = true)] public double? North { get; set; }
    [BindProperty(SupportsGet = true)] public double? East { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public IncidentHistoryPageDto? Result { get; private set; }
    public int Pages => Result is null ? 0 : Math.Max(1, (Result.Total + PageSize - 1) / PageSize);
    public string TimeZoneLabel => clock.Label(DateTimeOffset.UtcNow);

    /// <summary>The city's police districts (code → name) for the filter and the rows.</summary>
    public IReadOnlyDictionary<string, string> Districts { get; private set; } = new Dictionary<string, string>();

    public async Task OnGetAsync(CancellationToken ct)
    {
        Districts = await sender.Send(new GetDistrictNamesQuery(), ct);
        if (!ModelState.IsValid)
            return;
        if (Query() is not { } query)
            return;
        try
        {
            Result = await sender.Send(query with { Page = PageNumber, PageSize = PageSize }, ct);
        }
        catch (ValidationException ex)
        {
            ModelState.AddValidationErrors(ex);
        }
    }

    private SearchIncidentHistoryQuery? Query()
    {
        var from = clock.FromLocal(From, ModelState, nameof(From))?.ToUniversalTime();
        var to = clock.FromLocal(To, ModelState, nameof(To))?.ToUniversalTime();
        if (!ModelState.IsValid)
            return null;
        var status = Status switch { null or "" => IncidentStatus.Closed, "all" => null, _ => Status };
        return new SearchIncidentHistoryQuery(from, to, Empty(Kind), status, Empty(Outcome), Latitude, Longitude, Latitude is null ? null : RadiusMeters,
            South, West, North, East, District: Empty(District));
    }

    private static string? Empty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    /// <summary>The API's address for the current filter (the exports), with times in UTC.</summary>
    public string ApiLink(string path)
    {
        var q = Query();
        if (q is null)
            return path;
        string? N(double? v) => v?.ToString("R", CultureInfo.InvariantCulture);
        var values = new Dictionary<string, string?>
        {
            ["from"] = q.From?.ToString("O", CultureInfo.InvariantCulture), ["to"] = q.To?.ToString("O", CultureInfo.InvariantCulture), ["kind"] = q.Kind,
            ["status"] = q.Status, ["outcome"] = q.Outcome, ["latitude"] = N(q.Latitude), ["longitude"] = N(q.Longitude), ["radiusMeters"] = N(q.RadiusMeters),
            ["south"] = N(q.South), ["west"] = N(q.West), ["north"] = N(q.North), ["east"] = N(q.East), ["district"] = q.District,
        };
        return QueryHelpers.AddQueryString(path, values.Where(kv => !string.IsNullOrEmpty(kv.Value))!);
    }

    /// <summary>This page with the current filter on another page of results.</summary>
    public string PageLink(int number)
    {
        string? N(double? v) => v?.ToString("R", CultureInfo.InvariantCulture);
        string? T(DateTime? v) => v?.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
        var values = new Dictionary<string, string?>
        {
            ["from"] = T(From), ["to"] = T(To), ["kind"] = Kind, ["status"] = Status, ["outcome"] = Outcome, ["latitude"] = N(Latitude),
            ["longitude"] = N(Longitude), ["radiusMeters"] = N(RadiusMeters), ["south"] = N(South), ["west"] = N(West), ["north"] = N(North),
            ["east"] = N(East), ["district"] = District, ["p"] = number.ToString(CultureInfo.InvariantCulture),
        };
        return QueryHelpers.AddQueryString("/incidents/history", values.Where(kv => !string.IsNullOrEmpty(kv.Value))!);
    }
}
