using System.Globalization;
using EdgeOps.Core.Model;
using YamlDotNet.Core;
using EdgeOps.Sources.Sensors;
using YamlDotNet.RepresentationModel;

namespace EdgeOps.Gateway.Configuration.Bindings;

/// <summary>
/// Loads <c>firmware-config/boards/{id}.yaml</c>: the chip, the usable lines, the lines buses reserve, the buses.
/// Errors name the board file and key, like line-file errors.
/// </summary>
internal static class BoardFileLoader
{
    /// <summary>Where a line file finds its boards: <c>../boards/</c> next to <c>lines/</c>.</summary>
    public static string PathFor(string lineDirectory, string boardId) =>
        Path.GetFullPath(Path.Combine(lineDirectory, "..", "boards", boardId + ".yaml"));

    public static (BoardDefinition? Board, IReadOnlyList<ConfigError> Errors) Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return (null, [new ConfigError(path, 0, 0, string.Empty, $"cannot read the board file: {e.Message}")]);
        }

        var context = new ConfigContext(path);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            context.Error(e.Start, $"YAML syntax: {e.Message}");
            return (null, context.SortedErrors());
        }

        if (stream.Documents.Count != 1)
        {
            context.Error(Mark.Empty, "expected one YAML document");
            return (null, context.SortedErrors());
        }

        var board = Parse(stream.Documents[0].RootNode, Path.GetFileNameWithoutExtension(path), context);
        var errors = context.SortedErrors();
        return (errors.Count == 0 ? board : null, errors);
    }

    private static BoardDefinition? Parse(YamlNode root, string fileId, ConfigContext context)
    {
        var map = MappingReader.Open(root, string.Empty, context, "id", "name", "chip", "pull", "pins", "reserved", "i2c", "spi");
        if (map is null)
        {
            return null;
        }

        var id = map.Id("id", required: true);
        if (id is not null && id != fileId)
        {
            context.Error(map.Get("id"), "id", $"'{id}' must match the file name '{fileId}' (line files refer to boards by file name)");
        }

        var chip = ParseChip(map, context);
        var pins = ParsePins(map, context);
        var reserved = ParseReserved(map, context, pins);
        var i2c = new List<int>();
        if (map.Sequence("i2c") is { } i2cNode)
        {
            for (var i = 0; i < i2cNode.Children.Count; i++)
            {
                if (i2cNode.Children[i] is YamlScalarNode { Value: { } v } && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var bus))
                {
                    i2c.Add(bus);
                }
                else
                {
                    context.Error(i2cNode.Children[i], ConfigContext.Item("i2c", i), "expected an I2C bus number (1 for /dev/i2c-1)");
                }
            }
        }

        var spi = new List<string>();
        if (map.Sequence("spi") is { } spiNode)
        {
            for (var i = 0; i < spiNode.Children.Count; i++)
            {
                if (spiNode.Children[i] is YamlScalarNode { Value: { } v } && SensorBus.TryParse("spi" + v, out var parsed) && parsed.IsSpi)
                {
                    spi.Add(v);
                }
                else
                {
                    context.Error(spiNode.Children[i], ConfigContext.Item("spi", i), "expected \"bus.chipSelect\" (\"0.0\" for /dev/spidev0.0)");
                }
            }
        }

        if (id is null || chip is null)
        {
            return null;
        }

        return new BoardDefinition
        {
            Id = id,
            Name = map.String("name"),
            Chip = chip,
            Pins = pins,
            Reserved = reserved,
            PullSupported = map.Bool("pull") ?? true,
            I2cBuses = i2c,
            SpiDevices = spi,
            SourceFile = context.File,
        };
    }

    private static GpioChipDefinition? ParseChip(MappingReader board, ConfigContext context)
    {
        if (board.Mapping("chip", required: true) is not { } node)
        {
            return null;
        }

        var map = new MappingReader(node, "chip", context, "name", "label", "alternateNames");
        var name = map.String("name", required: true);
        var alternates = new List<string>();
        if (map.Sequence("alternateNames") is { } seq)
        {
            alternates.AddRange(seq.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? string.Empty).Where(s => s.Length > 0));
        }

        if (name is not null && !name.StartsWith("gpiochip", StringComparison.Ordinal))
        {
            context.Error(map.Get("name"), "chip.name", $"unknown chip '{name}': expected a /dev name such as gpiochip0 (put a kernel label under chip.label)");
            return null;
        }

        return name is null ? null : new GpioChipDefinition { Name = name, Label = map.String("label"), AlternateNames = alternates };
    }

    private static List<BoardPin> ParsePins(MappingReader board, ConfigContext context)
    {
        var pins = new List<BoardPin>();
        if (board.Sequence("pins", required: true) is not { } seq)
        {
            return pins;
        }

        var seen = new Dictionary<int, int>();
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var path = ConfigContext.Item("pins", i);
            if (MappingReader.Open(seq.Children[i], path, context, "line", "header", "name") is not { } pin
                || pin.Integer("line", 0, 1023, required: true) is not { } line)
            {
                continue;
            }

            if (seen.TryGetValue((int)line, out var first))
            {
                context.Error(pin.Get("line"), pin.PathOf("line"), $"line {line} is listed twice (first at pins[{first}])");
                continue;
            }

            seen[(int)line] = i;
            pins.Add(new BoardPin((int)line, (int?)pin.Integer("header", 1, 1000), pin.String("name")));
        }

        return pins;
    }

    private static List<ReservedPin> ParseReserved(MappingReader board, ConfigContext context, List<BoardPin> pins)
    {
        var reserved = new List<ReservedPin>();
        if (board.Sequence("reserved") is not { } seq)
        {
            return reserved;
        }

        for (var i = 0; i < seq.Children.Count; i++)
        {
            var path = ConfigContext.Item("reserved", i);
            if (MappingReader.Open(seq.Children[i], path, context, "line", "function") is not { } item
                || item.Integer("line", 0, 1023, required: true) is not { } line
                || item.String("function", required: true) is not { } function)
            {
                continue;
            }

            if (pins.All(p => p.Line != line))
            {
                context.Error(item.Get("line"), item.PathOf("line"), $"reserved line {line} is not in pins");
            }

            reserved.Add(new ReservedPin((int)line, function));
        }

        return reserved;
    }
}
