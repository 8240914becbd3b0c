using System.Globalization;

namespace SafeCities.Benchmarks;

/// <summary>
/// The analysts' requests the benchmarks time, built in one place: a field the requests gain (a case number, an offence) is added here
/// once for every benchmark that sends them.
/// </summary>
internal static class BenchRequests
{
    /// <summary>A purpose the app accepts (not on the vague list): a case and what it is about, as analysts write them.</summary>
    public const string Purpose = "case 2026-004512, armed robbery series (benchmark)";

    /// <summary><c>GET /api/v1/intelligence/search</c> with a name and/or a date of birth (yyyy, yyyy-MM or yyyy-MM-dd).</summary>
    public static string Search(string? name, string? dateOfBirth)
    {
        var query = new List<string> { "purpose=" + Uri.EscapeDataString(Purpose) };
        if (name is not null)
            query.Add("name=" + Uri.EscapeDataString(name));
        if (dateOfBirth is not null)
            query.Add("dob=" + Uri.EscapeDataString(dateOfBirth));
        return "api/v1/intelligence/search?" + string.Join('&', query);
    }

    /// <summary>The body of <c>POST /api/v1/plates/colocation</c>.</summary>
    public static object Colocation(IEnumerable<(double Lat, double Lon, DateTimeOffset At)> places, int radiusMeters, int windowMinutes, int minIncidents) => new
    {
        incidents = places.Select(p => new { latitude = p.Lat, longitude = p.Lon, occurredAt = p.At }).ToList(),
        radiusMeters, windowMinutes, minIncidents, purpose = Purpose,
    };

    public static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
