namespace EdgeOps.TestSupport;

/// <summary>Paths inside the repository, found from the test binary's location.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "EdgeOps.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException($"No EdgeOps.sln above {AppContext.BaseDirectory}.");
    });

    /// <summary>The repository root (the folder with EdgeOps.sln).</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>"Release" or "Debug": the configuration the tests were built in, so they run the matching binaries.</summary>
    public static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release" : "Debug";

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);
}
