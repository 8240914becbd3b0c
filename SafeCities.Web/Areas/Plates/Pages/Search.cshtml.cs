using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Web.Platform.Clock;
using SafeCities.Web.Pages.Shared;

namespace SafeCities.Web.Areas.Plates.Pages;

/// <summary>Analysts' plate search: it states a case number and offence (ADR 0047) and every search is audited with them and its terms.</summary>
[Authorize(Policy = Policies.IntelligenceAnalysts)]
internal sealed class SearchModel(ISender sender, CityClock clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? CaseNumber { get; set; }
    [BindProperty(SupportsGet = true)] public string? Offence { get; set; }
    [BindProperty(SupportsGet = true)] public string? Purpose { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? ApprovalId { get; set; }

    /// <summary>What this look-up states, and the approval request it waits for (shared with the other look-up pages).</summary>
    public StatedPurposeForm Statement => statement ??= new() { CaseNumber = CaseNumber, Offence = Offence, Purpose = Purpose, ApprovalId = ApprovalId };
    private StatedPurposeForm? statement;
    [BindProperty(SupportsGet = true)] public string? Plate { get; set; }
    [BindProperty(SupportsGet = true)] public bool Tolerant { get; set; }
    [BindProperty(SupportsGet = true)] public string? Region { get; set; }
    /// <summary>City time (the form's datetime-local), converted with the city's zone.</summary>
    [BindProperty(SupportsGet = true)] public DateTime? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateTime? To { get; set; }
    [BindProperty(SupportsGet = true)] public double? Latitude { get; set; }
    [BindProperty(SupportsGet = true)] public double? Longitude { get; set; }
    [BindProperty(SupportsGet = true)] public int? RadiusMeters { get; set; }
    [BindProperty(SupportsGet = true)] public string? Polygon { get; set; }
    [BindProperty(SupportsGet = true)] public string? Make { get; set; }
    [BindProperty(SupportsGet = true)] public string? Color { get; set; }

    public PlateSearchResultDto? Result { get; private set; }
    public string TimeZoneLabel => clock.Label(DateTimeOffset.UtcNow);
    public object SightingsData { get; private set; } = Array.Empty<object>();

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (new[] { Plate, Polygon, Make, Color }.All(string.IsNullOrWhiteSpace) && Latitude is null)
            return;
        var from = clock.FromLocal(From, ModelState, nameof(From))?.ToUniversalTime();
        var to = clock.FromLocal(To, ModelState, nameof(To))?.ToUniversalTime();
        if (!ModelState.IsValid)
            return;
        await Statement.RunAsync(async () =>
        {
            Result = await sender.Send(new SearchPlateReadsCommand(User.Actor(), User.AgencyId(), Purpose, Plate, Tolerant, Region, from, to, Latitude, Longitude,
                RadiusMeters, Polygon, Make, Color, CaseNumber: CaseNumber, Offence: Offence, ApprovalId: ApprovalId), ct);
            SightingsData = Result.Vehicles.SelectMany(v => v.Timeline).Select(s => new
                { s.Plate, s.Latitude, s.Longitude, s.CapturedAt, s.ReaderName });
        }, ModelState, sender, User, ct);
    }
}
