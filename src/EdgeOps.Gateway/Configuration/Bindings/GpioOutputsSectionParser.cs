using EdgeOps.Core.Model;
using EdgeOps.Gateway.Configuration.Sources;
using YamlDotNet.RepresentationModel;

namespace EdgeOps.Gateway.Configuration.Bindings;

/// <summary>
/// <c>sources: outputs: stackLights:</c> a list of
/// <c>{ id: press-tower, machine: press, lamps: { green: 5, amber: 6, red: 13, buzzer: 19 }, activeLow: true,
/// buzzerFor: 10s, mapping: { down: { red: on, buzzer: on }, offline: { red: flash } } }</c>.
/// States left out of <c>mapping</c> keep the default (<see cref="StackLightDefinition.DefaultMapping"/>).
/// With <c>device: plc1</c> (a Modbus device) the lamp numbers are coil addresses on it instead of GPIO lines.
/// </summary>
internal sealed class GpioOutputsSectionParser : ISourcesSectionParser
{
    public string Key => "outputs";

    public SourcesDefinition Parse(YamlNode node, string keyPath, SourcesDefinition sources, ConfigContext context)
    {
        var map = MappingReader.Open(node, keyPath, context, "stackLights");
        if (map?.Sequence("stackLights") is not { } seq)
        {
            return sources;
        }

        var lights = new List<StackLightDefinition>();
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var path = ConfigContext.Item(map.PathOf("stackLights"), i);
            if (ParseLight(seq.Children[i], path, context) is { } light)
            {
                context.RememberPath(light, path);
                lights.Add(light);
            }
        }

        return sources with { Outputs = new OutputsDefinition { StackLights = lights } };
    }

    private static StackLightDefinition? ParseLight(YamlNode node, string path, ConfigContext context)
    {
        var map = MappingReader.Open(node, path, context, "id", "machine", "device", "lamps", "activeLow", "mapping", "buzzerFor", "buzzerLamp", "flash", "lampTestStep");
        if (map is null)
        {
            return null;
        }

        var id = map.Id("id", required: true);
        var machine = map.String("machine", required: true);
        var device = map.Id("device");
        var lamps = new Dictionary<string, int>(StringComparer.Ordinal);
        if (map.Mapping("lamps", required: true) is { } lampsNode)
        {
            foreach (var (keyNode, value) in lampsNode.Children)
            {
                var lamp = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
                var lampPath = ConfigContext.Child(map.PathOf("lamps"), lamp);
                context.Remember(lampPath, value);
                if (value is YamlScalarNode { Value: { } text } && int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pin))
                {
                    lamps[lamp] = pin;
                }
                else
                {
                    context.Error(value, lampPath, device is null
                        ? $"expected the lamp's output line number, got {MappingReader.Describe(value)}"
                        : $"expected the lamp's coil address (0..65535), got {MappingReader.Describe(value)}");
                }
            }
        }

        var mapping = ParseMapping(map, lamps, context);
        var defaults = new StackLightDefinition { Id = "x", Machine = "x", Lamps = lamps };
        if (id is null || machine is null || lamps.Count == 0)
        {
            return null;
        }

        return new StackLightDefinition
        {
            Id = id,
            Machine = machine,
            Lamps = lamps,
            Device = device,
            ActiveLow = map.Bool("activeLow") ?? false,
            Mapping = mapping,
            BuzzerFor = map.Duration("buzzerFor", allowZero: true) ?? defaults.BuzzerFor,
            BuzzerLamp = map.String("buzzerLamp") ?? defaults.BuzzerLamp,
            FlashHalfPeriod = map.Duration("flash") ?? defaults.FlashHalfPeriod,
            LampTestStep = map.Duration("lampTestStep", allowZero: true) ?? defaults.LampTestStep,
        };
    }

    private static Dictionary<StateCategory, IReadOnlyDictionary<string, LampMode>>? ParseMapping(
        MappingReader light, Dictionary<string, int> lamps, ConfigContext context)
    {
        if (light.Mapping("mapping") is not { } node)
        {
            return null;
        }

        var result = new Dictionary<StateCategory, IReadOnlyDictionary<string, LampMode>>(StackLightDefinition.DefaultMapping);
        var map = new MappingReader(node, light.PathOf("mapping"), context, [.. GpioNames.States.Keys]);
        foreach (var (stateName, state) in GpioNames.States)
        {
            if (map.Mapping(stateName) is not { } stateNode)
            {
                continue;
            }

            var modes = new MappingReader(stateNode, map.PathOf(stateName), context, [.. lamps.Keys]);
            result[state] = lamps.Keys
                .Select(lamp => (lamp, mode: modes.Choice(lamp, GpioNames.LampModes, "lamp mode")))
                .Where(x => x.mode is not null)
                .ToDictionary(x => x.lamp, x => x.mode!.Value, StringComparer.Ordinal);
        }

        return result;
    }
}
