using SafeCities.Modules.Plates.Domain;

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
