using System.Globalization;
using Bogus;
using SafeCities.Modules.Platform.Contracts;

namespace SafeCities.Modules.Platform.Demo;

/// <summary>
/// The demo city's address points, generated (no address data of Washington, D.C. is shipped; the crime extracts in shared/data give only
/// anonymised blocks of other cities): a grid of named streets every 200 m around the centre with a house number every 50 m, and a dozen
/// named places. Imported through <see cref="ImportAddressPointsCommand"/>, the same path as an administrator's CSV.
/// </summary>
internal static class DemoAddresses
{
    public const string Header = "number,street,latitude,longitude,place";
    private const double LatPer200M = 0.0018, LonPer200M = 0.0023;

    public static IReadOnlyList<string> Lines(double centerLat, double centerLon)
    {
        var f = new Faker("en_US") { Random = new Randomizer(1600) };
        var lines = new List<string>();
        var names = new HashSet<string>();
        string Street(string suffix)
        {
            string name;
            do name = $"{f.Address.StreetName()} {suffix}";
            while (!names.Add(name));
            return name;
        }
        string Num(double v) => v.ToString("0.000000", CultureInfo.InvariantCulture);
        for (var row = -10; row <= 10; row++)
        {
            var street = Street("SE");
            var lat = centerLat + row * LatPer200M;
            for (var step = -40; step <= 40; step++)
                lines.Add($"{(step + 41) * 10 + (row & 1)},{Csv(street)},{Num(lat)},{Num(centerLon + step * LonPer200M / 4)},");
        }
        for (var col = -8; col <= 8; col++)
        {
            var street = Street("St SE");
            var lon = centerLon + col * LonPer200M + LonPer200M / 2;
            for (var step = -40; step <= 40; step++)
                lines.Add($"{(step + 41) * 10 + 1},{Csv(street)},{Num(centerLat + step * LatPer200M / 4 + LatPer200M / 8)},{Num(lon)},");
        }
        foreach (var kind in new[] { "Park", "Recreation Center", "Elementary School", "Library", "Metro", "Community Garden", "Playground",
                     "Health Center", "Church", "Market", "Fire Station", "High School" })
            lines.Add($",,{Num(centerLat + f.Random.Double(-0.02, 0.02))},{Num(centerLon + f.Random.Double(-0.02, 0.02))},{Csv($"{f.Name.LastName()} {kind}")}");
        return lines;
    }

    private static string Csv(string value) => value.Contains(',') || value.Contains('"') ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
}
