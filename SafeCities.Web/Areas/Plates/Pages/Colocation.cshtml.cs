using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Web.Platform.Clock;
using SafeCities.Web.Pages.Shared;

namespace SafeCities.Web.Areas.Plates.Pages;

/// <summary>Co-location: vehicles seen near at least k of several places and times, most unusual first. States a case number and offence (ADR 0047); audited.</summary>
[Authorize(Policy = Policies.IntelligenceAnalysts)]
internal sealed class ColocationModel(ISender sender, CityClock clock) : PageModel
{
    [BindProperty] public string? CaseNumber { get; set; }
    [BindProperty] public string? Offence { get; set; }
    [BindProperty] public string? Purpose { get; set; }
    [BindProperty] public Guid? ApprovalId { get; set; }

    /// <summary>What this look-up states, and the approval request it waits for (shared with the other look-up pages).</summary>
    public StatedPurposeForm Statement => statement ??= new() { CaseNumber = CaseNumber, Offence = Offence, Purpose = Purpose, ApprovalId = ApprovalId };
    private StatedPurposeForm? statement;
    /// <summary>One place per line: "lat, lon, yyyy-MM-dd HH:mm" in the city's time (a time with an offset or Z is taken as written).</summary>
    [BindProperty] public string? Places { get; set; }
    [BindProperty] public int RadiusMeters { get; set; } = 300;
    [BindProperty] public int WindowMinutes { get; set; } = 15;
    [BindProperty] public int MinIncidents { get; set; } = 2;
    public ColocationResultDto? Result { get; private set; }
    public IReadOnlyList<ColocationPlaceDto> Parsed { get; private set; } = [];
    public object SightingsData { get; private set; } = Array.Empty<object>();
    public string TimeZoneLabel => clock.Label(DateTimeOffset.UtcNow);

    /// <summary>Recent incidents (from Alerts) for colocation.js: clicking one adds its place and time to <see cref="Places"/>.</summary>
    public object IncidentsData { get; private set; } = Array.Empty<object>();

    /// <summary>How many recent incidents are offered on the map.</summary>
    public const int MapIncidents = 200;

    public async Task OnGetAsync(CancellationToken ct) => await LoadIncidentsAsync(ct);

    private async Task LoadIncidentsAsync(CancellationToken ct)
    {
        var incidents = await sender.Send(new ListIncidentsQuery(Limit: MapIncidents), ct);
        IncidentsData = incidents.Select(i => new { i.Id, i.Kind, i.Title, i.Status, i.Latitude, i.Longitude, i.OpenedAt });
    }

    public async Task OnPostAsync(CancellationToken ct)
    {
        await LoadIncidentsAsync(ct);
        var places = new List<ColocationPlaceDto>();
        foreach (var (line, i) in (Places ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select((l, i) => (l, i)))
        {
            var parts = line.Split(',', 3, StringSplitOptions.TrimEntries);
            if (parts.Length == 3 && double.TryParse(parts[0], CultureInfo.InvariantCulture, out var lat) && double.TryParse(parts[1], CultureInfo.InvariantCulture, out var lon)
                && DateTime.TryParse(parts[2], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var written))
            {
                // "2026-12-04 14:03" is the city's time; "…Z" or "…-05:00" is an instant as written.
                var at = written.Kind == DateTimeKind.Unspecified ? clock.FromLocal(written) : new DateTimeOffset(written.ToUniversalTime(), TimeSpan.Zero);
                if (at is { } instant)
                    places.Add(new ColocationPlaceDto(lat, lon, instant.ToUniversalTime()));
                else
                    ModelState.AddModelError(nameof(Places), $"Line {i + 1}: {CityClock.Skipped(parts[2])}");
            }
            else
                ModelState.AddModelError(nameof(Places), $"Line {i + 1} is not 'lat, lon, yyyy-MM-dd HH:mm'.");
        }
        if (!ModelState.IsValid)
            return;
        Parsed = places;
        await Statement.RunAsync(async () =>
        {
            Result = await sender.Send(new ColocationCommand(User.Actor(), User.AgencyId(), Purpose, places, RadiusMeters, WindowMinutes, MinIncidents,
                CaseNumber: CaseNumber, Offence: Offence, ApprovalId: ApprovalId), ct);
            SightingsData = Result.Vehicles.Take(10).SelectMany(v => v.Sightings).Select(s => new
                { s.Plate, s.Latitude, s.Longitude, s.CapturedAt, s.ReaderName });
        }, ModelState, sender, User, ct);
    }
}
