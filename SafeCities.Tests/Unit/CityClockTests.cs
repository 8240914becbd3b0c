using System.Globalization;
using SafeCities.Modules.Shared.Time;
using SafeCities.Web.Platform.Clock;

namespace SafeCities.Tests.Unit;

/// <summary>The one clock of the pages (City:TimeZone): local time, labelled, across the daylight-saving changes.</summary>
public sealed class CityClockTests
{
    private readonly CityClock dc = new("America/New_York");

    [Theory]
    // Spring forward, 8 March 2026: 01:59:59 EST is followed by 03:00:00 EDT.
    [InlineData("2026-03-08T06:59:59Z", "01:59:59 EST")]
    [InlineData("2026-03-08T07:00:00Z", "03:00:00 EDT")]
    // Fall back, 1 November 2026: 01:30 happens twice, first EDT then EST.
    [InlineData("2026-11-01T05:30:00Z", "01:30:00 EDT")]
    [InlineData("2026-11-01T06:30:00Z", "01:30:00 EST")]
    [InlineData("2026-12-03T19:03:05Z", "14:03:05 EST")]
    public void Times_are_shown_in_the_citys_zone_with_its_abbreviation(string utc, string expected) =>
        Assert.Equal(expected, dc.Format(DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture)));

    [Fact]
    public void Formats_and_the_utc_instant_on_hover()
    {
        var at = new DateTimeOffset(2026, 12, 31, 23, 30, 0, TimeSpan.FromHours(-5));   // local New York time
        Assert.Equal("2026-12-31 23:30 EST", dc.Format(at, CityTimeFormat.DateTime));
        Assert.Equal("23:30 EST", dc.Format(at, CityTimeFormat.Minutes));
        Assert.Equal("2026-12-31", dc.Format(at, CityTimeFormat.Date));
        Assert.Equal("2027-01-01 04:30:00 UTC", CityClock.UtcText(at));
    }

    [Theory]
    [InlineData("2026-12-03 14:03", "2026-12-03T19:03:00Z")]
    [InlineData("2026-07-04 09:00", "2026-07-04T13:00:00Z")]
    // The repeated hour of the autumn change is read as standard time.
    [InlineData("2026-11-01 01:30", "2026-11-01T06:30:00Z")]
    public void A_typed_city_time_is_the_instant_it_names(string local, string utc)
    {
        var instant = dc.FromLocal(DateTime.Parse(local, CultureInfo.InvariantCulture));
        Assert.Equal(DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture), instant);
    }

    [Fact]
    public void A_time_the_clocks_skip_is_refused_as_the_fields_error()
    {
        var skipped = new DateTime(2026, 3, 8, 2, 30, 0);
        Assert.Null(dc.FromLocal(skipped));
        var modelState = new Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary();
        Assert.Null(dc.FromLocal(skipped, modelState, "From"));
        Assert.Contains("2026-03-08 02:30 does not exist", Assert.Single(modelState["From"]!.Errors).ErrorMessage);
        Assert.Equal(DateTimeOffset.Parse("2026-03-08T07:30:00Z", CultureInfo.InvariantCulture), dc.FromLocal(skipped.AddHours(1), modelState, "To"));
        Assert.Null(modelState["To"]);
    }

    [Fact]
    public void The_browser_gets_the_same_labels_by_offset() => Assert.Equal("-300:EST,-240:EDT", dc.BrowserLabels());

    [Fact]
    public void A_zone_without_a_short_name_is_labelled_with_its_offset()
    {
        var berlin = new CityClock("Europe/Berlin");
        Assert.Equal("13:00:00 UTC+01:00", berlin.Format(DateTimeOffset.Parse("2026-01-15T12:00:00Z", CultureInfo.InvariantCulture)));
        Assert.Equal("14:00:00 UTC+02:00", berlin.Format(DateTimeOffset.Parse("2026-07-15T12:00:00Z", CultureInfo.InvariantCulture)));
        Assert.Equal("12:00:00 UTC+00:00", new CityClock("Etc/UTC").Format(DateTimeOffset.Parse("2026-07-15T12:00:00Z", CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("Eastern Standard Time")]   // a Windows id, not IANA
    public void An_unknown_zone_stops_the_start(string id) =>
        Assert.Contains("City:TimeZone", Assert.Throws<InvalidOperationException>(() => new CityClock(id)).Message);

    [Fact]
    public void Without_a_setting_the_demo_city_is_washington() => Assert.Equal("America/New_York", new CityClock(null).Id);
}
