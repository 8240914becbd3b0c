using SafeCities.Modules.Shared.Text;

namespace SafeCities.Tests.Unit;

public sealed class TextLimitTests
{
    [Fact]
    public void Text_that_fits_is_kept_as_it_is()
    {
        Assert.Equal("raised", TextLimit.Cut("raised"));
        Assert.Equal(new string('a', 1000), TextLimit.Cut(new string('a', 1000)));
        Assert.Null(TextLimit.Cut(null, 500));
    }

    [Fact]
    public void Longer_text_is_cut_to_the_limit_ending_with_an_ellipsis()
    {
        Assert.Equal(new string('a', 999) + "…", TextLimit.Cut(new string('a', 1001)));
        Assert.Equal(new string('b', 499) + "…", TextLimit.Cut(new string('b', 501), 500));
    }
}
