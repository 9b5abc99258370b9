using EdgeOps.Core.Model;
using EdgeOps.Gateway.Configuration;

namespace EdgeOps.Gateway.Hosting;

/// <summary>The validated line file the gateway runs, with its text (for the config hash).</summary>
public sealed record LineFile(string Path, string Text, LineDefinition Definition)
{
    /// <summary>
    /// Finds the line file (relative to the working directory, then to the binary's folder, where the shipped
    /// configs are copied), loads and validates it. Every error is returned at once, each naming file, line and key.
    /// </summary>
    public static (LineFile? File, IReadOnlyList<string> Errors) Load(string path)
    {
        var resolved = Resolve(path);
        if (resolved is null)
        {
            return (null, [$"{path}: the line file does not exist (looked in {Environment.CurrentDirectory} and {AppContext.BaseDirectory}); set EdgeOps:Line or --config"]);
        }

        var result = LineConfigLoader.Load(resolved);
        if (!result.IsValid)
        {
            return (null, [.. result.Errors.Select(e => e.ToString())]);
        }

        return (new LineFile(resolved, File.ReadAllText(resolved), result.Line!), []);
    }

    private static string? Resolve(string path)
    {
        if (File.Exists(path))
        {
            return System.IO.Path.GetFullPath(path);
        }

        if (!System.IO.Path.IsPathRooted(path))
        {
            var besideBinary = System.IO.Path.Combine(AppContext.BaseDirectory, path);
            if (File.Exists(besideBinary))
            {
                return besideBinary;
            }
        }

        return null;
    }
}
