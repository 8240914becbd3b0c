using System.Globalization;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Shared.Messaging;

namespace SafeCities.Web.Pages.PublicAlerts;

/// <summary>
/// Public (no account, phone-first): a resident asks for public alerts for an area (a point with a radius, or a drawn area) by e-mail or
/// text message. The citizen reports' question against scripts and per-address rate limit guard the post (ADR 0033); the confirmation link
/// sent to the address must be followed before anything else is sent (ADR 0040).
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(CitizenReportLimits.RateLimitPolicy)]
internal sealed class SubscribeModel(ISender sender) : PageModel
{
    [BindProperty]
    public SubscribeInput Input { get; set; } = new();

    public ReportChallengeDto Question { get; private set; } = null!;

    public bool Requested { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Question = await sender.Send(new IssueReportChallengeCommand(), ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await sender.Send(new VerifyReportChallengeCommand(Input.ChallengeToken, Input.ChallengeAnswer), ct))
            ModelState.AddModelError("Input.ChallengeAnswer", "That answer is not right (or the question expired): answer the new question.");
        else if (Input.Areas() is not { Count: > 0 } areas)
            ModelState.AddModelError("Input.AreaKind", "Mark the area on the map: a point with a radius, or the corners of an area.");
        else
        {
            try
            {
                await sender.Send(new SubscribeToAlertsCommand(Input.Channel, Input.Address, Input.Language, areas, $"{Request.Scheme}://{Request.Host}/"), ct);
                Requested = true;
                return Page();
            }
            catch (ValidationException ex)
            {
                ModelState.AddValidationErrors(ex, "Input");
            }
            catch (DomainRuleException ex)
            {
                ModelState.AddModelError("Input.Address", ex.Message);
            }
        }
        Response.StatusCode = StatusCodes.Status400BadRequest;
        ModelState.SetModelValue("Input.ChallengeAnswer", new Microsoft.AspNetCore.Mvc.ModelBinding.ValueProviderResult(""));
        ModelState.Remove("Input.ChallengeToken");
        Question = await sender.Send(new IssueReportChallengeCommand(), ct);
        return Page();
    }
}

public sealed class SubscribeInput
{
    public string? Channel { get; set; } = "email";
    public string? Address { get; set; }
    public string? Language { get; set; } = "en";
    /// <summary>point (a centre and a radius) or polygon.</summary>
    public string? AreaKind { get; set; } = "point";
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    public double? RadiusMeters { get; set; } = 500;
    /// <summary>The drawn corners as "lat,lon lat,lon …".</summary>
    public string? PolygonPoints { get; set; }
    /// <summary>The places added before the one being marked, separated by ";": "lat,lon,radius" for a point, "lat,lon lat,lon …" for an area.</summary>
    public string? MoreAreas { get; set; }
    public string? ChallengeToken { get; set; }
    public string? ChallengeAnswer { get; set; }

    /// <summary>
    /// The areas as the command takes them: the places added before (<see cref="MoreAreas"/>) and the one being marked, if any. Null when a
    /// place cannot be read (not numbers); the command checks the rest (how many, where, how large).
    /// </summary>
    public List<SubscriberAreaInput>? Areas()
    {
        var areas = new List<SubscriberAreaInput>();
        foreach (var text in (MoreAreas ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(SubscriberAreaLimits.MaxPlacesRead))
        {
            if (Place(text) is not { } place)
                return null;
            areas.Add(place);
        }
        if (AreaKind == "polygon" && !string.IsNullOrWhiteSpace(PolygonPoints))
        {
            if (Corners(PolygonPoints) is not { } corners)
                return null;
            areas.Add(new SubscriberAreaInput(null, null, null, corners));
        }
        else if (AreaKind != "polygon" && Latitude is not null && Longitude is not null)
            areas.Add(new SubscriberAreaInput(Latitude, Longitude, RadiusMeters, null));
        return areas;
    }

    /// <summary>A place of <see cref="MoreAreas"/>: "lat,lon,radius" (a point) or "lat,lon lat,lon …" (an area); null when it is neither.</summary>
    private static SubscriberAreaInput? Place(string text)
    {
        if (text.Contains(' '))
            return Corners(text) is { } corners ? new SubscriberAreaInput(null, null, null, corners) : null;
        var parts = text.Split(',');
        return parts.Length == 3 && Number(parts[0]) is { } lat && Number(parts[1]) is { } lon && Number(parts[2]) is { } radius
            ? new SubscriberAreaInput(lat, lon, radius, null)
            : null;
    }

    /// <summary>"lat,lon lat,lon …" as points; null when one is not two numbers.</summary>
    private static List<GeoPointDto>? Corners(string text)
    {
        var corners = new List<GeoPointDto>();
        foreach (var pair in text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(SubscriberAreaLimits.MaxCornersRead))
        {
            var parts = pair.Split(',');
            if (parts.Length != 2 || Number(parts[0]) is not { } lat || Number(parts[1]) is not { } lon)
                return null;
            corners.Add(new GeoPointDto(lat, lon));
        }
        return corners.Count == 0 ? null : corners;
    }

    private static double? Number(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}

internal static class SubscriberAreaLimits
{
    /// <summary>More corners than this are not even read (the command refuses more than its own limit anyway).</summary>
    public const int MaxCornersRead = 1000;

    /// <summary>More places than this are not read (the command takes at most its own number of areas).</summary>
    public const int MaxPlacesRead = 20;
}
