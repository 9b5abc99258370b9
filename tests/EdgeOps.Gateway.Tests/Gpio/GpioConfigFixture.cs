using EdgeOps.Gateway.Configuration;
using EdgeOps.TestSupport;

namespace EdgeOps.Gateway.Tests.Gpio;

/// <summary>
/// Writes variants of the shipped GPIO retrofit line into a temporary firmware-config tree (lines/ next to a copy of
/// the shipped boards/), so each variant resolves its board the way a real deployment does.
/// </summary>
internal sealed class GpioConfigFixture : IDisposable
{
    public GpioConfigFixture()
    {
        Root = Directory.CreateTempSubdirectory("edgeops-gpio-").FullName;
        Directory.CreateDirectory(Path.Combine(Root, "lines"));
        Directory.CreateDirectory(Path.Combine(Root, "boards"));
        foreach (var board in Directory.GetFiles(RepoPaths.File("firmware-config", "boards"), "*.yaml"))
        {
            File.Copy(board, Path.Combine(Root, "boards", Path.GetFileName(board)));
        }

        ShippedLine = File.ReadAllText(RepoPaths.File("firmware-config", "lines", "gpio-retrofit.yaml"));
    }

    public string Root { get; }

    public string ShippedLine { get; }

    /// <summary>Writes the shipped line with one text replacement and loads it.</summary>
    public (string Path, LineConfigResult Result) LoadVariant(string name, string find, string replace)
    {
        Assert.Contains(find, ShippedLine, StringComparison.Ordinal);
        return LoadText(name, ShippedLine.Replace(find, replace, StringComparison.Ordinal));
    }

    public (string Path, LineConfigResult Result) LoadText(string name, string text)
    {
        var path = Path.Combine(Root, "lines", name + ".yaml");
        File.WriteAllText(path, text);
        return (path, LineConfigLoader.Load(path));
    }

    public void WriteBoard(string id, string text) => File.WriteAllText(Path.Combine(Root, "boards", id + ".yaml"), text);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
