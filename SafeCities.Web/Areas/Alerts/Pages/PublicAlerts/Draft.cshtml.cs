using System.Globalization;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Alerts.Contracts;
using SafeCities.Modules.Shared.Messaging;
using SafeCities.Web.Platform.Clock;

namespace SafeCities.Web.Areas.Alerts.Pages.PublicAlerts;

/// <summary>
/// A commander drafts a public alert: from an incident (the area prefilled as a circle around it), as an Update of an issued alert
/// (prefilled with its content), or from scratch. The area is a circle or a polygon drawn on the map (public-alert-draft.js fills the
/// hidden fields). Times are entered in the city's time zone.
/// </summary>
[Authorize(Policy = PublicAlertPolicies.Issuers)]
internal sealed class DraftModel(ISender sender, CityClock clock, TimeProvider time) : PageModel
{
    /// <summary>Radius of the circle prefilled around an incident (metres).</summary>
    public const double IncidentRadiusMeters = 400;

    [BindProperty] public DraftInput Input { get; set; } = new();

    public string ZoneLabel => clock.Label(time.GetUtcNow());

    public PublicAlertDto? Updates { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid? incidentId, Guid? updates, CancellationToken ct)
    {
        var now = clock.ToLocal(time.GetUtcNow());
        Input.Onset = Minutes(now.DateTime);
        Input.Expires = Minutes(now.DateTime.AddHours(2));
        if (updates is { } updatesId)
        {
            if (await sender.Send(new GetPublicAlertQuery(updatesId), ct) is not { } alert)
                return NotFound();
            Updates = alert;
            Input = DraftInput.From(alert.Content, c => Minutes(clock.ToLocal(c).DateTime));
            Input.UpdatesId = updatesId;
            Input.Onset = Minutes(now.DateTime);
            if (Input.Expires is null || Input.Expires < now.DateTime)
                Input.Expires = Minutes(now.DateTime.AddHours(2));
        }
        else if (incidentId is { } id)
        {
            if (await sender.Send(new GetIncidentQuery(id, WithTimeline: false), ct) is not { } incident)
                return NotFound();
            Input.IncidentId = id;
            Input.CircleLatitude = Math.Round(incident.Incident.Latitude, 6);
            Input.CircleLongitude = Math.Round(incident.Incident.Longitude, 6);
            Input.CircleRadiusMeters = IncidentRadiusMeters;
            Input.AreaDescription = $"Within {IncidentRadiusMeters:0} m of {incident.Incident.Title}";
            Input.Event = incident.Incident.Kind == IncidentKinds.Gunshot ? "Shots fired" : "Police activity";
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var onset = clock.FromLocal(Input.Onset, ModelState, "Input.Onset");
        var expires = clock.FromLocal(Input.Expires, ModelState, "Input.Expires");
        if (!ModelState.IsValid)
            return Page();
        IReadOnlyList<GeoPointDto>? polygon = null;
        if (Input.AreaKind == "polygon")
        {
            polygon = ParsePoints(Input.PolygonPoints);
            if (polygon is null)
            {
                ModelState.AddModelError("Input.PolygonPoints", "Draw the polygon on the map: click to add each corner (at least 3).");
                return Page();
            }
        }
        var circle = Input.AreaKind != "polygon";
        var content = new PublicAlertContent(Input.Event, Input.Category, Input.Severity, Input.Urgency, Input.Certainty, Input.ResponseType,
            onset, expires, Input.AreaDescription, circle ? Input.CircleLatitude : null, circle ? Input.CircleLongitude : null,
            circle ? Input.CircleRadiusMeters : null, polygon, Input.HeadlineEn, Input.DescriptionEn, Input.InstructionEn, Input.HeadlineEs, Input.DescriptionEs,
            Input.InstructionEs);
        try
        {
            var draft = await sender.Send(new DraftPublicAlertCommand(User.Actor(), content, Input.UpdatesId is null ? Input.IncidentId : null, Input.UpdatesId), ct);
            return RedirectToPage("Details", new { id = draft.Id });
        }
        catch (ValidationException ex)
        {
            foreach (var e in ex.Errors)
                ModelState.AddModelError(FieldOf(e.PropertyName), e.ErrorMessage);
            return Page();
        }
        catch (DomainRuleException ex)
        {
            ModelState.AddModelError(string.Empty, ex.Message);
            return Page();
        }
    }

    private static string FieldOf(string property)
    {
        var name = property.StartsWith("Content.", StringComparison.Ordinal) ? property["Content.".Length..] : property;
        return name switch
        {
            "area" => "Input.AreaKind",
            "Polygon" => "Input.PolygonPoints",
            "Content" or "By" => string.Empty,
            _ when name.StartsWith("Polygon", StringComparison.Ordinal) => "Input.PolygonPoints",
            _ => "Input." + name,
        };
    }

    /// <summary>"lat,lon lat,lon …" as the map script writes it; null when it is not that.</summary>
    internal static IReadOnlyList<GeoPointDto>? ParsePoints(string? text)
    {
        var pairs = (text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (pairs.Length is < 3 or > 600)
            return null;
        var points = new List<GeoPointDto>();
        foreach (var pair in pairs)
        {
            var parts = pair.Split(',');
            if (parts.Length != 2 || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)
                || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var lon) || !double.IsFinite(lat) || !double.IsFinite(lon))
                return null;
            points.Add(new GeoPointDto(lat, lon));
        }
        return points;
    }

    private static DateTime Minutes(DateTime t) => new(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, DateTimeKind.Unspecified);

    internal sealed class DraftInput
    {
        public Guid? IncidentId { get; set; }
        public Guid? UpdatesId { get; set; }
        public string? Event { get; set; }
        public string? Category { get; set; } = "Security";
        public string? Severity { get; set; } = "Severe";
        public string? Urgency { get; set; } = "Immediate";
        public string? Certainty { get; set; } = "Observed";
        public string? ResponseType { get; set; } = "Shelter";
        public DateTime? Onset { get; set; }
        public DateTime? Expires { get; set; }
        public string? AreaDescription { get; set; }
        public string AreaKind { get; set; } = "circle";
        public double? CircleLatitude { get; set; }
        public double? CircleLongitude { get; set; }
        public double? CircleRadiusMeters { get; set; }
        public string? PolygonPoints { get; set; }
        public string? HeadlineEn { get; set; }
        public string? DescriptionEn { get; set; }
        public string? InstructionEn { get; set; }
        public string? HeadlineEs { get; set; }
        public string? DescriptionEs { get; set; }
        public string? InstructionEs { get; set; }

        public static DraftInput From(PublicAlertContent c, Func<DateTimeOffset, DateTime> local) => new()
        {
            Event = c.Event, Category = c.Category, Severity = c.Severity, Urgency = c.Urgency, Certainty = c.Certainty, ResponseType = c.ResponseType,
            Onset = c.Onset is { } o ? local(o) : null, Expires = c.Expires is { } e ? local(e) : null, AreaDescription = c.AreaDescription,
            AreaKind = c.Polygon is { Count: > 0 } ? "polygon" : "circle", CircleLatitude = c.CircleLatitude, CircleLongitude = c.CircleLongitude,
            CircleRadiusMeters = c.CircleRadiusMeters,
            PolygonPoints = c.Polygon is { Count: > 0 } p
                ? string.Join(' ', p.Take(p.Count > 1 && p[0] == p[^1] ? p.Count - 1 : p.Count).Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.Latitude},{x.Longitude}")))
                : null,
            HeadlineEn = c.HeadlineEn, DescriptionEn = c.DescriptionEn, InstructionEn = c.InstructionEn,
            HeadlineEs = c.HeadlineEs, DescriptionEs = c.DescriptionEs, InstructionEs = c.InstructionEs,
        };
    }
}
