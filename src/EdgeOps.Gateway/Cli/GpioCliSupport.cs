using System.Device.Gpio;
using EdgeOps.Core.Model;
using EdgeOps.Gateway.Hosting;
using EdgeOps.Sources.Gpio;

namespace EdgeOps.Gateway.Cli;

/// <summary>What the GPIO and sensor verbs share: the line file, the board, and opening the real chip.</summary>
internal static class GpioCliSupport
{
    /// <summary>The GPIO retrofit example, used when no <c>--config</c> is given.</summary>
    public const string DefaultLine = "firmware-config/lines/gpio-retrofit.yaml";

    /// <summary>Opens the board's chip with the configured driver; tests pass a virtual one.</summary>
    public static Func<GpioDefinition, BoardDefinition, GpioController> RealController { get; } = (gpio, board) => GpioHardware.Open(gpio, board);

    /// <summary>Loads the line file; on errors writes them and returns null.</summary>
    public static LineDefinition? LoadLine(string path, TextWriter error, string verb)
    {
        var (file, errors) = LineFile.Load(path);
        if (file is not null)
        {
            return file.Definition;
        }

        foreach (var e in errors)
        {
            error.WriteLine(e);
        }

        error.WriteLine($"edgeops {verb}: the line file has errors; fix them first (edgeops validate {path})");
        return null;
    }

    /// <summary>The line's GPIO section with its board, or null after writing why not.</summary>
    public static (GpioDefinition Gpio, BoardDefinition Board)? GpioOf(LineDefinition line, string path, TextWriter error, string verb)
    {
        if (line.Sources.Gpio is { ResolvedBoard: { } board } gpio)
        {
            return (gpio, board);
        }

        error.WriteLine($"edgeops {verb}: {path} has no 'sources: gpio: {{ board: ... }}' section");
        return null;
    }
}
