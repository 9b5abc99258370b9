namespace EdgeOps.Historian.Tests.Support;

/// <summary>The repository checkout the tests run from (the folder holding EdgeOps.sln).</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "EdgeOps.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException($"No EdgeOps.sln above {AppContext.BaseDirectory}.");
    }
}
