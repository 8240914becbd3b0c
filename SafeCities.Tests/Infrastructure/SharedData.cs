using Xunit.Abstractions;

namespace SafeCities.Tests.Infrastructure;

/// <summary>
/// Finds a file of the shared data folder (<c>$SAFECITIES_DATA</c>, which scripts/test sets, or a <c>shared/data</c> beside a parent of the
/// test binaries). A data-bound test that cannot find its file fails under CI=true and otherwise says it skipped and returns early.
/// </summary>
internal static class SharedData
{
    public static string? Find(string relativePath)
    {
        if (Environment.GetEnvironmentVariable("SAFECITIES_DATA") is { Length: > 0 } data && Path.Combine(data, relativePath) is var inData
            && File.Exists(inData))
            return inData;
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "data", relativePath);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    /// <summary>The file's path, or null after logging "SKIPPED" (outside CI); under CI=true a missing file fails the test.</summary>
    public static string? FileOrSkip(string relativePath, ITestOutputHelper output)
    {
        if (Find(relativePath) is { } path)
            return path;
        var message = $"Shared data file not found: {relativePath} (set SAFECITIES_DATA to the shared/data folder).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Fail(message);
        output.WriteLine($"SKIPPED (not CI): {message}");
        return null;
    }
}
