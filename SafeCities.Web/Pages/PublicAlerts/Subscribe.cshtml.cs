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
        else if (Input.Area() is not { } area)
            ModelState.AddModelError("Input.AreaKind", "Mark the area on the map: a point with a radius, or the corners of an area.");
        else
        {
            try
            {
                await sender.Send(new SubscribeToAlertsCommand(Input.Channel, Input.Address, Input.Language, [area], $"{Request.Scheme}://{Request.Host}/"), ct);
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
    public string? ChallengeToken { get; set; }
    public string? ChallengeAnswer { get; set; }

    /// <summary>The area as the command takes it, or null when none is marked (or the corners are not numbers).</summary>
    public SubscriberAreaInput? Area()
    {
        if (AreaKind == "polygon")
        {
            var corners = new List<GeoPointDto>();
            foreach (var pair in (PolygonPoints ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(SubscriberAreaLimits.MaxCornersRead))
            {
                var parts = pair.Split(',');
                if (parts.Length != 2 || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)
                    || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var lon))
                    return null;
                corners.Add(new GeoPointDto(lat, lon));
            }
            return corners.Count == 0 ? null : new SubscriberAreaInput(null, null, null, corners);
        }
        return Latitude is null || Longitude is null ? null : new SubscriberAreaInput(Latitude, Longitude, RadiusMeters, null);
    }
}

internal static class SubscriberAreaLimits
{
    /// <summary>More corners than this are not even read (the command refuses more than its own limit anyway).</summary>
    public const int MaxCornersRead = 1000;
}
