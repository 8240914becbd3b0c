using System.Globalization;
using Bogus;
using SafeCities.Modules.Intelligence.Contracts;
using SafeCities.Modules.Platform.Addresses;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Modules.Platform.Demo;

/// <summary>
/// The demo city's past year of calls for service, as a CAD export back-loaded through the police's records would bring it: without it the
/// analysts' pages (trends, hotspot forecasts and their scores, near-repeat, unreported gunfire) open on a city with no past. Generated with a
/// fixed seed, placed at the demo's address points and shaped as a city's calls are — most of them within 150 m of a dozen hot places
/// (blocks drawn from the demo's grid; each type prefers four of them), each type at its own hours (thefts by day, assaults and shots at
/// night), more in summer and on Fridays and Saturdays, and burglaries and shootings followed by others near them within days (near
/// repeats). Nothing here is real data.
/// </summary>
internal static class DemoHistory
{
    public const int Days = 365;
    public const string IdPrefix = "CFS-H-";
    /// <summary>The first (oldest) call's id, whatever the day: on record means the history was seeded.</summary>
    public const string FirstId = IdPrefix + "00001";

    /// <summary>Type, calls a year, the hour its calls peak at (city time), and whether one is often followed by another nearby (near repeat).</summary>
    private static readonly (string Type, int PerYear, int PeakHour, double RepeatChance)[] Types =
    [
        ("theft", 900, 14, 0), ("disorderly conduct", 420, 23, 0), ("assault", 420, 22, 0.05), ("burglary", 330, 11, 0.35),
        ("vandalism", 300, 21, 0), ("motor vehicle theft", 300, 3, 0.1), ("robbery", 240, 20, 0.15), ("shots fired", 260, 0, 0.3),
    ];

    private sealed record Address(int Number, string Street, double Latitude, double Longitude);

    /// <summary>
    /// The calls, oldest first, over the <see cref="Days"/> days before <paramref name="now"/>; ids <see cref="IdPrefix"/>00001 on, the
    /// same every time for the same day. <paramref name="zone"/>: the city's time zone (the hours of day are the city's).
    /// </summary>
    public static IReadOnlyList<RecordInput> Calls(DateTimeOffset now, double centerLat, double centerLon, TimeZoneInfo zone)
    {
        var f = new Faker("en_US") { Random = new Randomizer(2031) };
        var columns = AddressCsv.ParseHeader(DemoAddresses.Header).Columns!;
        var addresses = DemoAddresses.Lines(centerLat, centerLon).Select(line => AddressCsv.ParseLine(line, columns).Row!)
            .Where(a => a is { Number: not null, Street: not null })
            .Select(a => new Address(int.Parse(a.Number!, CultureInfo.InvariantCulture), a.Street!, a.Latitude, a.Longitude))
            .ToList();
        // A dozen hot places, some busier than others; every type prefers four of them.
        var hot = Enumerable.Range(0, 12).Select(_ => f.PickRandom(addresses)).ToList();
        var near = hot.Select(h => addresses.Where(a => GeoMath.DistanceMeters(a.Latitude, a.Longitude, h.Latitude, h.Longitude) <= 150).ToList()).ToList();
        var today = TimeZoneInfo.ConvertTime(now, zone).Date;
        var calls = new List<(DateTimeOffset At, string Type, Address Where)>();
        foreach (var (type, perYear, peak, repeat) in Types)
        {
            var preferred = Enumerable.Range(0, hot.Count).OrderBy(_ => f.Random.Double()).Take(4).ToList();
            for (var day = Days; day >= 1; day--)
            {
                var date = today.AddDays(-day);
                var summer = 1 + 0.3 * Math.Sin(2 * Math.PI * (date.DayOfYear - 105) / 365.0);
                var weekend = date.DayOfWeek is DayOfWeek.Friday or DayOfWeek.Saturday ? 1.25 : 0.93;
                var expected = perYear / 365.0 * summer * weekend;
                for (var k = Poisson(f, expected); k > 0; k--)
                {
                    var where = f.Random.Double() < 0.6
                        ? f.PickRandom(near[preferred[(int)Math.Floor(Math.Pow(f.Random.Double(), 1.6) * preferred.Count)]])
                        : f.PickRandom(addresses);
                    var at = At(date, peak + f.Random.Double(-1, 1) * 4.5 + (f.Random.Double() < 0.2 ? f.Random.Double(0, 24) : 0), zone);
                    calls.Add((at, type, where));
                    if (f.Random.Double() < repeat)
                    {
                        var follow = at.AddDays(f.Random.Double(0.5, 7));
                        var nextDoor = addresses.Where(a => GeoMath.DistanceMeters(a.Latitude, a.Longitude, where.Latitude, where.Longitude) <= 120).ToList();
                        if (follow < now)
                            calls.Add((follow, type, f.PickRandom(nextDoor)));
                    }
                }
            }
        }
        return calls.Where(c => c.At < now).OrderBy(c => c.At).Select((c, i) => new RecordInput(RecordKinds.CallForService, $"{IdPrefix}{i + 1:00000}",
                StartedAt: c.At, CallType: c.Type, Latitude: c.Where.Latitude, Longitude: c.Where.Longitude,
                Address: $"{c.Where.Number / 100 * 100} block of {c.Where.Street}", Narrative: "Demo history (generated)."))
            .ToList();
    }

    /// <summary>The instant <paramref name="hours"/> (any real number, wrapped into the day) after the city's midnight of <paramref name="date"/>.</summary>
    private static DateTimeOffset At(DateTime date, double hours, TimeZoneInfo zone)
    {
        var local = date.AddHours(((hours % 24) + 24) % 24);
        if (zone.IsInvalidTime(local))
            local = local.AddHours(1);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    private static int Poisson(Faker f, double mean)
    {
        var (limit, k, p) = (Math.Exp(-mean), 0, 1.0);
        while ((p *= f.Random.Double()) > limit)
            k++;
        return k;
    }
}
