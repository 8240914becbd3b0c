using System.Globalization;
using SafeCities.Modules.Alerts.Contracts;

namespace SafeCities.Web.ViewComponents;

/// <summary>
/// The responder page's way to the incident, <c>#navigate-links</c>: the phone's navigation app first, the distance (filled in by
/// <c>~/js/respond.js</c>) and the other apps. Drawn again alone when the incident's place is corrected while the page is open (ADR 0064), so
/// an officer on the way is sent to the new place.
/// </summary>
public sealed class IncidentNavigateViewComponent : ViewComponent
{
    public IViewComponentResult Invoke(IncidentDto incident) =>
        View(NavigateLinks.For(incident.Latitude, incident.Longitude, HttpContext.Request.Headers.UserAgent.ToString()));
}

/// <summary>
/// Links the phone hands to its navigation app (the page itself requests nothing): Apple Maps directions on iOS, <c>geo:</c> on Android (any
/// navigation app) with Google Maps' turn-by-turn <c>google.navigation:</c> as the alternative; the first one suits the phone's user agent.
/// </summary>
public sealed record NavigateLinks(string Primary, string PrimaryLabel, IReadOnlyList<(string Href, string Label, string Id)> Others)
{
    public static NavigateLinks For(double latitude, double longitude, string userAgent)
    {
        var at = string.Create(CultureInfo.InvariantCulture, $"{latitude:0.000000},{longitude:0.000000}");
        var apple = ($"https://maps.apple.com/?daddr={at}", "Apple Maps", "navigate-ios");
        var geo = ($"geo:{at}?q={at}", "Maps app (Android)", "navigate-android");
        var google = ($"google.navigation:q={at}", "Google navigation", "navigate-google");
        var ios = userAgent.Contains("iPhone", StringComparison.Ordinal) || userAgent.Contains("iPad", StringComparison.Ordinal)
                  || userAgent.Contains("iPod", StringComparison.Ordinal);
        return ios
            ? new NavigateLinks(apple.Item1, apple.Item2, [geo, google])
            : new NavigateLinks(geo.Item1, geo.Item2, [apple, google]);
    }
}
