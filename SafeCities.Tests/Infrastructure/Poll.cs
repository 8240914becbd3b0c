namespace SafeCities.Tests.Infrastructure;

/// <summary>Waits for what happens in the background: polls a condition until it holds, and fails the test, naming it, if it does not in time.</summary>
internal static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan within, string what, int everyMilliseconds = 50)
    {
        for (var deadline = DateTime.UtcNow + within; !await condition(); await Task.Delay(everyMilliseconds))
            Assert.True(DateTime.UtcNow < deadline, $"{what}: not within {within.TotalSeconds:0} s");
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan within, string what, int everyMilliseconds = 50) =>
        UntilAsync(() => Task.FromResult(condition()), within, what, everyMilliseconds);
}
