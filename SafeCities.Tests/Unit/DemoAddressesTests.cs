using System.Globalization;
using SafeCities.Modules.Platform.Addresses;
using SafeCities.Modules.Platform.Demo;
using SafeCities.Modules.Shared.Geo;

namespace SafeCities.Tests.Unit;

/// <summary>The demo city's generated address points are valid import lines, unique, and cover the demo area densely enough for a street address.</summary>
public sealed class DemoAddressesTests
{
    [Fact]
    public void Every_demo_line_imports_once_and_every_spot_of_the_demo_area_has_an_address_within_150_m()
    {
        var lines = DemoAddresses.Lines(DemoCitySeeder.CenterLat, DemoCitySeeder.CenterLon);
        var columns = AddressCsv.ParseHeader(DemoAddresses.Header).Columns!;
        var rows = lines.Select(l => AddressCsv.ParseLine(l, columns)).ToList();
        Assert.All(rows, r => Assert.Null(r.Error));
        Assert.Equal(rows.Count, rows.Select(r => r.Row!.Key).Distinct().Count());
        Assert.Equal(12, rows.Count(r => r.Row!.Street is null && r.Row.Place is not null));
        Assert.Equal(lines, DemoAddresses.Lines(DemoCitySeeder.CenterLat, DemoCitySeeder.CenterLon)); // the same city every time

        var streets = rows.Where(r => r.Row!.Street is not null).Select(r => r.Row!).ToList();
        var random = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            // The area the demo devices are placed in (DemoCitySeeder.Near with spread 0.018).
            var (lat, lon) = (DemoCitySeeder.CenterLat + (random.NextDouble() * 2 - 1) * 0.018 * 0.8, DemoCitySeeder.CenterLon + (random.NextDouble() * 2 - 1) * 0.018);
            var nearest = streets.Min(s => GeoMath.DistanceMeters(lat, lon, s.Latitude, s.Longitude));
            Assert.True(nearest <= 150, string.Create(CultureInfo.InvariantCulture, $"({lat:0.00000}, {lon:0.00000}) is {nearest:0} m from any address"));
        }
    }
}
