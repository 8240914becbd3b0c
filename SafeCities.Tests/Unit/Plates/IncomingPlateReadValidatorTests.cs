using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SafeCities.Modules.Plates;
using SafeCities.Modules.Plates.Contracts;
using SafeCities.Modules.Plates.Features;

namespace SafeCities.Tests.Unit.Plates;

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
