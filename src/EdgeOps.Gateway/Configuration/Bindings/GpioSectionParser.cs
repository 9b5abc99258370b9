using EdgeOps.Core.Model;
using EdgeOps.Gateway.Configuration.Sources;
using YamlDotNet.RepresentationModel;

namespace EdgeOps.Gateway.Configuration.Bindings;

/// <summary>
/// <c>sources: gpio: { board: rpi4, driver: auto, chip: gpiochip0 }</c>. Loads the board file so the validators can
/// check pins and buses against it; a board file with errors is reported at <c>sources.gpio.board</c> with its own
/// file, line and key.
/// </summary>
internal sealed class GpioSectionParser : ISourcesSectionParser
{
    public string Key => "gpio";

    public SourcesDefinition Parse(YamlNode node, string keyPath, SourcesDefinition sources, ConfigContext context)
    {
        var map = MappingReader.Open(node, keyPath, context, "board", "driver", "chip");
        if (map?.Id("board", required: true) is not { } boardId)
        {
            return sources;
        }

        var path = BoardFileLoader.PathFor(context.Directory, boardId);
        BoardDefinition? board = null;
        if (!File.Exists(path))
        {
            IEnumerable<string> known = Directory.Exists(Path.GetDirectoryName(path))
                ? Directory.EnumerateFiles(Path.GetDirectoryName(path)!, "*.yaml").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal)
                : [];
            context.Error(map.Get("board"), map.PathOf("board"), $"{MappingReader.UnknownName("board", boardId, known)}: no file {path}");
        }
        else
        {
            var (loaded, errors) = BoardFileLoader.Load(path);
            foreach (var e in errors)
            {
                context.Error(map.Get("board"), map.PathOf("board"), $"board file is invalid: {e}");
            }

            board = loaded;
        }

        var chip = map.String("chip");
        if (chip is not null && board is not null && !board.Chip.Matches(chip))
        {
            var names = new[] { board.Chip.Name, board.Chip.Label }.Concat(board.Chip.AlternateNames).OfType<string>();
            context.Error(map.Get("chip"), map.PathOf("chip"), $"unknown chip '{chip}' for board '{board.Id}' (expected one of: {string.Join(", ", names)})");
        }

        return sources with
        {
            Gpio = new GpioDefinition
            {
                Board = boardId,
                Driver = map.Choice("driver", GpioNames.Drivers, "driver") ?? GpioDriverKind.Auto,
                Chip = chip,
                ResolvedBoard = board,
            },
        };
    }
}
