namespace SafeCities.Tests.Unit.Sensors;

/// <summary>Finds the ShotSpotter Pittsburgh 2018 pulse table (shared/ sits beside the repository checkout).</summary>
internal static class LiveFireData
{
    public const string EnvironmentVariable = "SAFECITIES_SHOTSPOTTER_CSV";
    public const string RelativePath = "shared/data/gunshot_acoustic/shotspotter_pittsburgh_2018/nlos_tuples_flat.csv";

    public static string? Find()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured && File.Exists(configured))
        {
            return configured;
        }

        // scripts/test points SAFECITIES_DATA at ../shared/data.
        if (Environment.GetEnvironmentVariable("SAFECITIES_DATA") is { Length: > 0 } data
            && Path.Combine(data, "gunshot_acoustic/shotspotter_pittsburgh_2018/nlos_tuples_flat.csv") is var inData && File.Exists(inData))
        {
            return inData;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, RelativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    public static bool RunningInCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}
