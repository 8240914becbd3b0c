using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SafeCities.Modules.Plates;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Domain;
using SafeCities.Modules.Plates.Features;

namespace SafeCities.Tests.Unit.Plates;

public sealed class PlateNumberTests
{
    [Theory]
    [InlineData("abc1234", "ABC1234")]
    [InlineData("ABC 1234", "ABC1234")]
    [InlineData("abc-12 34", "ABC1234")]
    [InlineData(" 7-xyz ", "7XYZ")]
    [InlineData("", "")]
    public void Normalising_upper_cases_and_drops_spaces_and_hyphens(string raw, string expected) =>
        Assert.Equal(expected, PlateNumber.Normalize(raw));

    [Theory]
    [InlineData("A", true)]
    [InlineData("ABCDE12345", true)]
    [InlineData("abcde-12345", true)]
    [InlineData("ABCDE123456", false)]
    [InlineData("", false)]
    [InlineData(" - ", false)]
    [InlineData("AB.123", false)]
    [InlineData("ÄBC123", false)]
    [InlineData("AB_123", false)]
    [InlineData(null, false)]
    public void A_plate_is_1_to_10_ascii_letters_or_digits_once_normalised(string? raw, bool valid) =>
        Assert.Equal(valid, PlateNumber.IsValid(raw));
}

public sealed class ArmingWindowTests
{
    private static readonly DateTimeOffset Shot = new(2026, 11, 25, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_window_runs_from_before_the_incident_to_after_it()
    {
        var window = ArmingWindow.Around(Shot, 10, 30);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 1, 50, 0, TimeSpan.Zero), window.Start);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 2, 30, 0, TimeSpan.Zero), window.End);
    }

    [Fact]
    public void Both_ends_are_inside_and_a_tick_beyond_is_not()
    {
        var window = ArmingWindow.Around(Shot, 10, 30);
        Assert.True(window.Contains(window.Start));
        Assert.True(window.Contains(window.End));
        Assert.True(window.Contains(Shot));
        Assert.False(window.Contains(window.Start.AddTicks(-1)));
        Assert.False(window.Contains(window.End.AddTicks(1)));
    }

    [Fact]
    public void Local_times_are_taken_in_utc_and_a_zero_before_starts_at_the_incident()
    {
        var local = new DateTimeOffset(2026, 11, 24, 21, 0, 0, TimeSpan.FromHours(-5));
        var window = ArmingWindow.Around(local, 0, 1);
        Assert.Equal(TimeSpan.Zero, window.Start.Offset);
        Assert.Equal(Shot, window.Start);
        Assert.Equal(Shot.AddMinutes(1), window.End);
    }

    [Fact]
    public void Windows_cross_midnight()
    {
        var window = ArmingWindow.Around(new DateTimeOffset(2026, 11, 25, 0, 5, 0, TimeSpan.Zero), 10, 30);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 23, 55, 0, TimeSpan.Zero), window.Start);
        Assert.True(window.Contains(new DateTimeOffset(2026, 11, 24, 23, 59, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Negative_minutes_are_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ArmingWindow.Around(Shot, -1, 30));
}

public sealed class ReactionTextTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 1, 58, 0, TimeSpan.Zero);

    [Fact]
    public void Armed_names_the_readers_the_radius_and_the_window_in_utc()
    {
        Assert.Equal("4 plate readers armed within 500 m, reads 01:50–02:30 UTC",
            ReactionText.Armed(4, 500, ArmingWindow.Around(new DateTimeOffset(2026, 11, 24, 21, 0, 0, TimeSpan.FromHours(-5)), 10, 30)));
        Assert.StartsWith("1 plate reader armed within 800 m", ReactionText.Armed(1, 800, ArmingWindow.Around(At, 1, 1)));
        Assert.Equal("No plate readers within 500 m", ReactionText.Armed(0, 500, ArmingWindow.Around(At, 10, 30)));
    }

    [Fact]
    public void Captured_names_each_vehicle_once_with_its_first_sighting()
    {
        var text = ReactionText.Captured([
            new LinkedReadLine("XYZ987", "MD", At.AddMinutes(3), null, null, null, "LPR 2"),
            new LinkedReadLine("ABC1234", "DC", At, "Honda", "Civic", "Silver", "LPR Alabama Ave"),
            new LinkedReadLine("ABC1234", "DC", At.AddMinutes(5), "Honda", "Civic", "Silver", "LPR 2"),
        ]);
        Assert.Equal("2 vehicles read: ABC1234 (silver Honda Civic) at LPR Alabama Ave 01:58, XYZ987 at LPR 2 02:01", text);
    }

    [Fact]
    public void Captured_names_at_most_five_vehicles_and_counts_the_rest()
    {
        var reads = Enumerable.Range(0, 8).Select(i => new LinkedReadLine($"P{i}", "DC", At.AddSeconds(i), null, null, "red", "LPR 1")).ToList();
        var text = ReactionText.Captured(reads);
        Assert.StartsWith("8 vehicles read: P0 (red) at LPR 1 01:58, P1 (red)", text);
        Assert.Contains("P4 (red)", text);
        Assert.DoesNotContain("P5", text);
        Assert.EndsWith(" and 3 more", text);
        Assert.StartsWith("1 vehicle read: P0 (red) at LPR 1 01:58", ReactionText.Captured(reads.Take(1)));
    }
}

public sealed class IncomingPlateReadValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 3, 0, 0, TimeSpan.Zero);
    private readonly IncomingPlateReadValidator validator = new(new FakeTimeProvider(Now), Options.Create(new PlatesOptions { MaxClockSkewSeconds = 120 }));

    private static IncomingPlateReadDto Read(string? plate = "ABC-1234", string? region = "DC", double? confidence = 0.9, int skewSeconds = -5,
        string? readId = "r-1") => new(readId, plate, region, Now.AddSeconds(skewSeconds), confidence, "Honda", "Civic", "silver", "img://1");

    [Fact]
    public void A_plausible_read_is_valid() => Assert.True(validator.Validate(Read()).IsValid);

    [Theory]
    [InlineData("Plate", null, "DC", 0.5, -5, "r")]
    [InlineData("Plate", "ABCDEFGHIJK", "DC", 0.5, -5, "r")]
    [InlineData("Plate", "AB*1", "DC", 0.5, -5, "r")]
    [InlineData("Region", "ABC1", "", 0.5, -5, "r")]
    [InlineData("Region", "ABC1", "TOOLONGRG", 0.5, -5, "r")]
    [InlineData("Confidence", "ABC1", "DC", 1.0001, -5, "r")]
    [InlineData("Confidence", "ABC1", "DC", -0.1, -5, "r")]
    [InlineData("Confidence", "ABC1", "DC", null, -5, "r")]
    [InlineData("CapturedAt", "ABC1", "DC", 0.5, 121, "r")]
    [InlineData("ReadId", "ABC1", "DC", 0.5, -5, "")]
    [InlineData("ReadId", "ABC1", "DC", 0.5, -5, null)]
    public void Each_bad_field_is_named(string field, string? plate, string? region, double? confidence, int skewSeconds, string? readId)
    {
        var result = validator.Validate(Read(plate, region, confidence, skewSeconds, readId));
        Assert.Equal([field], result.Errors.Select(e => e.PropertyName).Distinct().ToArray());
    }

    [Fact]
    public void Clocks_may_lead_by_the_allowed_skew_and_confidence_may_be_0_or_1()
    {
        Assert.True(validator.Validate(Read(skewSeconds: 119)).IsValid);
        Assert.True(validator.Validate(Read(confidence: 0)).IsValid);
        Assert.True(validator.Validate(Read(confidence: 1)).IsValid);
        Assert.True(validator.Validate(Read(readId: new string('x', 128))).IsValid);
        Assert.False(validator.Validate(Read(readId: new string('x', 129))).IsValid);
    }
}
