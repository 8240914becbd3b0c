using SafeCities.Modules.Shared.Text;

namespace SafeCities.Tests.Unit;

public sealed class PluralTests
{
    [Theory]
    [InlineData(0, "vehicle", null, "0 vehicles")]
    [InlineData(1, "vehicle", null, "1 vehicle")]
    [InlineData(2, "vehicle", null, "2 vehicles")]
    [InlineData(1, "entry", "entries", "1 entry")]
    [InlineData(12345, "entry", "entries", "12345 entries")]
    [InlineData(-1, "degree", null, "-1 degrees")]
    public void A_count_takes_its_noun_singular_only_for_one(long n, string noun, string? plural, string expected) =>
        Assert.Equal(expected, Plural.Count(n, noun, plural));

    [Fact]
    public void A_word_agrees_with_its_count() =>
        Assert.Equal(["is", "are", "are"], new long[] { 1, 0, 3 }.Select(n => Plural.Word(n, "is", "are")));
}
