using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using SafeCities.Modules.Alerts.Contracts;

namespace SafeCities.Web.Pages.Respond;

/// <summary>
/// The responding officer's phone view of one incident: what has happened (kind, address, time, status) first, the officer's own status
/// (acknowledged / en route / on scene, recorded for command staff), Navigate links for the phone's navigation app, the map with the officer's
/// own position, then cameras, lights and vehicles, and the timeline.
/// </summary>
[Authorize(Policy = Policies.IncidentResponders)]
internal sealed class IndexModel(ISender sender) : PageModel
{
    public IncidentDetailDto Detail { get; private set; } = null!;
    public string? MyStatus { get; private set; }
    public NavigateLinks Navigate { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid incidentId, CancellationToken ct)
    {
        if (await sender.Send(new GetIncidentQuery(incidentId), ct) is not { } detail)
            return NotFound();
        Detail = detail;
        var me = User.Actor();
        MyStatus = (await sender.Send(new ListIncidentRespondersQuery(incidentId), ct)).FirstOrDefault(r => r.UserName == me)?.Status;
        Navigate = NavigateLinks.For(detail.Incident.Latitude, detail.Incident.Longitude, Request.Headers.UserAgent.ToString());
        return Page();
    }

    public static string KindLabel(string kind) => kind switch
    {
        IncidentKinds.Gunshot => "Gunshot",
        IncidentKinds.HotlistHit => "Hotlist hit",
        _ => kind,
    };
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
