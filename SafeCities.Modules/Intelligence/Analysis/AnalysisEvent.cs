using SafeCities.Modules.Alerts.Contracts;

namespace SafeCities.Modules.Intelligence.Analysis;

/// <summary>
/// One event an analysis reads: an Alerts incident (type = its kind, e.g. "gunshot") or a call for service (type = "call:" + call type),
/// where and when, and the district it lies in (a district code, "Whole city" while the city has no districts, or "Outside districts").
/// </summary>
internal sealed record AnalysisEvent(Guid Id, string Source, string Type, double Latitude, double Longitude, DateTimeOffset At, string District);

/// <summary>Where the analyses' events come from and how they are grouped (ADR 0023).</summary>
internal static class AnalysisSources
{
    public const string Incident = "incident";
    public const string CallForService = "call";
    public const string WholeCity = "Whole city";
    public const string OutsideDistricts = "Outside districts";

    /// <summary>The event type a call for service of <paramref name="callType"/> is analysed under.</summary>
    public static string CallType(string callType) => $"call:{callType.Trim().ToLowerInvariant()}";

    /// <summary>An event type as people read it, as the analysis pages' type list names it: "Calls for service: burglary" for
    /// <c>call:burglary</c>, "Incidents: air quality" for an incident kind (its name as every page gives it, not its code).</summary>
    public static string Label(string type) =>
        type.StartsWith(CallForService + ":", StringComparison.Ordinal) ? $"Calls for service: {type[(CallForService.Length + 1)..]}"
        : $"Incidents: {IncidentKinds.Label(type).ToLowerInvariant()}";

    /// <summary>Metres east/north of (<paramref name="originLat"/>, <paramref name="originLon"/>): an equirectangular projection, within
    /// 0.1 % over a city's extent — enough for bands of tens of metres.</summary>
    public static (double X, double Y) Project(double lat, double lon, double originLat, double originLon)
    {
        const double metersPerDegree = 111_320.0;
        return ((lon - originLon) * metersPerDegree * Math.Cos(originLat * Math.PI / 180), (lat - originLat) * metersPerDegree);
    }

    public static double DistanceMeters(double lat1, double lon1, double lat2, double lon2)
    {
        var (x, y) = Project(lat2, lon2, lat1, lon1);
        return Math.Sqrt(x * x + y * y);
    }
}
