using SafeCities.Modules.Shared.Statistics;

namespace SafeCities.Tests.Unit;

/// <summary>The one median (hotspot scores, the grid's centre, backtests): the middle value, the mean of the two middle ones, NaN for none.</summary>
public sealed class MedianTests
{
    [Fact]
    public void The_middle_value_the_mean_of_the_two_middle_ones_or_NaN_for_none()
    {
        Assert.Equal(3, Median.Of([5, 1, 3]));
        Assert.Equal(2.5, Median.Of([4, 1, 3, 2]));
        Assert.Equal(0, Median.Of([0, 0, 0, 7]));
        Assert.True(double.IsNaN(Median.Of([])));
    }
}
