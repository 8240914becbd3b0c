namespace SafeCities.Tests.Infrastructure;

/// <summary>Waits for what happens in the background: polls until a condition holds, and fails the test, naming it, if it does not in time.</summary>
internal static class Poll
{
    /// <summary>Reads until <paramref name="done"/> holds of what was read, and returns that; fails with <paramref name="failure"/> of the last read if it does not within <paramref name="within"/>.</summary>
    public static async Task<T> ForAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan within, Func<T, string> failure, int everyMilliseconds = 100)
    {
        for (var deadline = DateTime.UtcNow + within; ; await Task.Delay(everyMilliseconds))
        {
            var value = await read();
            if (done(value))
                return value;
            Assert.True(DateTime.UtcNow < deadline, failure(value));
        }
    }

    public static Task UntilAsync(Func<Task<bool>> condition, TimeSpan within, string what, int everyMilliseconds = 50) =>
        ForAsync(condition, holds => holds, within, _ => $"{what}: not within {within.TotalSeconds:0} s", everyMilliseconds);

    public static Task UntilAsync(Func<bool> condition, TimeSpan within, string what, int everyMilliseconds = 50) =>
        UntilAsync(() => Task.FromResult(condition()), within, what, everyMilliseconds);
}
