namespace EdgeOps.Gateway.Tests.Configuration;

/// <summary>Finds files in the source tree, so the tests check the configs that ship, not copies.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string LinesDirectory => Path.Combine(Root, "firmware-config", "lines");

    public static string SchemaFile => Path.Combine(Root, "firmware-config", "schema", "line.schema.json");

    public static string BrokenDirectory => Path.Combine(Root, "tests", "EdgeOps.Gateway.Tests", "Configuration", "broken");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeOps.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"EdgeOps.sln not found above {AppContext.BaseDirectory}");
    }
}
