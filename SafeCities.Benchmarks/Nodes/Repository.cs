namespace SafeCities.Benchmarks.Nodes;

/// <summary>Where the checkout and the built app are, found from the running test or benchmark assembly (…/bin/&lt;Configuration&gt;/net10.0/).</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration this assembly was built in; the app it starts was built in the same one (it is a project reference).</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string WebDirectory => Path.Combine(Root, "SafeCities.Web");

    public static string WebDll => Path.Combine(WebDirectory, "bin", Configuration, "net10.0", "SafeCities.Web.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SafeCities.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"SafeCities.sln not found above {AppContext.BaseDirectory}.");
    }
}
