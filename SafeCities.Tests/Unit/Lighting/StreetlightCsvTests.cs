using SafeCities.Modules.Lighting.Domain;

namespace SafeCities.Tests.Unit.Lighting;

public sealed class StreetlightCsvTests
{
    private static readonly IReadOnlyDictionary<string, int> Columns =
        StreetlightCsv.ParseHeader("name,latitude,longitude,circuit,controllerId,normalLevel").Columns!;

    [Fact]
    public void The_documented_header_maps_every_column_in_order()
    {
        Assert.Equal(["name", "latitude", "longitude", "circuit", "controllerid", "normallevel"], Columns.OrderBy(c => c.Value).Select(c => c.Key));
    }

    [Fact]
    public void Columns_may_come_in_any_order_with_any_case_and_a_byte_order_mark_and_optional_ones_may_be_absent()
    {
        var (columns, error) = StreetlightCsv.ParseHeader("\uFEFFControllerID, Longitude ,LATITUDE,Name");
        Assert.Null(error);
        var (row, lineError) = StreetlightCsv.ParseLine("SEG-9,-77.01,38.9,Pole 7", columns!);
        Assert.Null(lineError);
        Assert.Equal(new StreetlightRow("Pole 7", 38.9, -77.01, null, "SEG-9", 40), row);
    }

    [Theory]
    [InlineData("", "The header line is empty")]
    [InlineData("name,latitude", "Missing columns longitude, controllerId.")]
    [InlineData("name,lat,longitude,controllerId", "Unknown column 'lat'")]
    [InlineData("name,latitude,longitude,controllerId,Name", "Column 'Name' appears twice.")]
    [InlineData("name,\"latitude,longitude,controllerId", "The header line is not valid CSV")]
    public void Bad_headers_say_what_is_wrong(string header, string expected)
    {
        var (columns, error) = StreetlightCsv.ParseHeader(header);
        Assert.Null(columns);
        Assert.StartsWith(expected, error);
    }

    [Fact]
    public void A_full_line_with_quotes_and_escaped_quotes_is_read()
    {
        var (row, error) = StreetlightCsv.ParseLine("\"Pole \"\"A\"\", 4th St\", 38.8530 ,-76.993,C-01,SEG-1,35", Columns);
        Assert.Null(error);
        Assert.Equal(new StreetlightRow("Pole \"A\", 4th St", 38.853, -76.993, "C-01", "SEG-1", 35), row);
    }

    [Theory]
    [InlineData(",38.9,-77,C,S,40", "Name is empty.")]
    [InlineData("a,38,9,-77,C,S,40", "Expected 6 fields, found 7.")]
    [InlineData("a,38.9,-77,C,S", "Expected 6 fields, found 5.")]
    [InlineData("a,91,-77,C,S,40", "Latitude 91 is outside ±90.")]
    [InlineData("a,38.9,-180.5,C,S,40", "Longitude -180.5 is outside ±180.")]
    [InlineData("a,NaN,-77,C,S,40", "Latitude 'NaN' is not a number.")]
    [InlineData("a,38.9,-77,C,,40", "ControllerId is empty (imported lights are reached through their controller).")]
    [InlineData("a,38.9,-77,C,S,40.5", "NormalLevel '40.5' is not a whole number from 0 to 100.")]
    [InlineData("a,38.9,-77,C,S,-1", "NormalLevel '-1' is not a whole number from 0 to 100.")]
    [InlineData(",x,,C,S,40", "Name is empty; latitude 'x' is not a number; longitude is empty.")]
    [InlineData("\"a,38.9,-77,C,S,40", "A quoted field is not closed (one record per line; quoted line breaks are not supported).")]
    [InlineData("a\"b,38.9,-77,C,S,40", "Stray quote at column 2.")]
    [InlineData("\"a\"b,38.9,-77,C,S,40", "Text after a closing quote at column 4.")]
    public void Each_bad_line_gets_one_readable_reason(string line, string reason)
    {
        var (row, error) = StreetlightCsv.ParseLine(line, Columns);
        Assert.Null(row);
        Assert.Equal(reason, error);
    }

    [Fact]
    public void Numbers_use_a_dot_whatever_the_server_culture()
    {
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            var (row, _) = StreetlightCsv.ParseLine("a,38.5,-77.25,,S,", Columns);
            Assert.Equal((38.5, -77.25), (row!.Latitude, row.Longitude));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Overlong_lines_and_fields_are_refused()
    {
        Assert.Equal("Line is longer than 2000 characters.", StreetlightCsv.ParseLine(new string('a', 2001), Columns).Error);
        Assert.Equal("Name is longer than 120 characters.", StreetlightCsv.ParseLine($"{new string('n', 121)},1,1,,S,", Columns).Error);
    }
}
