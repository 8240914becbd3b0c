using System.Globalization;

namespace SafeCities.Benchmarks;

/// <summary>
/// The analysts' requests the benchmarks time, built in one place: a field the requests gain (a case number, an offence) is added here
/// once for every benchmark that sends them.
/// </summary>
internal static class BenchRequests
{
    /// <summary>What every look-up states (ADR 0047): a case number in the agency's format, an offence from the list, and a few words.</summary>
    public const string CaseNumber = "2026-004512", Offence = "robbery", Purpose = "armed robbery series (benchmark)";

    private static string Stated => $"caseNumber={CaseNumber}&offence={Offence}&purpose={Uri.EscapeDataString(Purpose)}";

    /// <summary><c>GET /api/v1/intelligence/search</c> with a name and/or a date of birth (yyyy, yyyy-MM or yyyy-MM-dd).</summary>
    public static string Search(string? name, string? dateOfBirth)
    {
        var query = new List<string> { Stated };
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
        radiusMeters, windowMinutes, minIncidents, caseNumber = CaseNumber, offence = Offence, purpose = Purpose,
    };

    /// <summary><c>GET /api/v1/plates/search</c> for a plate's reads since <paramref name="from"/> (the busy city's analyst).</summary>
    public static string PlateSearch(string plate, DateTimeOffset from) =>
        $"api/v1/plates/search?{Stated}&plate={plate}&from={Uri.EscapeDataString(from.ToString("O", CultureInfo.InvariantCulture))}&limit=100";

    public static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
