using System.Globalization;
using EdgeOps.Core.Model;
using EdgeOps.Gateway.Configuration.Sections;
using YamlDotNet.RepresentationModel;

namespace EdgeOps.Gateway.Configuration.Parsing;

/// <summary>One entry of the line's <c>machines:</c> list.</summary>
internal static class MachineParser
{
    private static readonly string[] BaseKeys =
    [
        "id", "name", "idealCycleTime", "targetPerHour", "microStopThreshold", "staleAfter", "inferenceFactor",
        "signals", "reasons", "stateCodes", "faultCodes", "stateModel", "unitModes",
    ];

    public static MachineDefinition? Parse(YamlNode node, string path, ConfigContext context)
    {
        var map = MappingReader.Open(node, path, context, [.. BaseKeys, .. SectionParsers.Machine.Select(p => p.Key)]);
        if (map is null)
        {
            return null;
        }

        var defaults = new MachineDefinition { Id = "x", IdealCycleTime = TimeSpan.Zero, Signals = [] };
        var id = map.Id("id", required: true);
        var signals = new List<SignalDefinition>();
        if (map.Sequence("signals", required: true) is { } list)
        {
            for (var i = 0; i < list.Children.Count; i++)
            {
                if (SignalParser.Parse(list.Children[i], ConfigContext.Item(map.PathOf("signals"), i), context) is { } signal)
                {
                    signals.Add(signal);
                }
            }

            if (list.Children.Count == 0)
            {
                context.Error(list, map.PathOf("signals"), "empty: a machine needs at least one signal");
            }
        }

        var machine = new MachineDefinition
        {
            Id = id ?? string.Empty,
            Name = map.String("name"),
            // Required only when the machine counts; ILineValidator rules report it with the reason.
            IdealCycleTime = map.Duration("idealCycleTime") ?? TimeSpan.Zero,
            TargetPerHour = map.Double("targetPerHour", min: 0),
            MicroStopThreshold = map.Duration("microStopThreshold", allowZero: true) ?? defaults.MicroStopThreshold,
            StaleAfter = map.Duration("staleAfter") ?? defaults.StaleAfter,
            InferenceFactor = map.Double("inferenceFactor", min: 1) ?? defaults.InferenceFactor,
            Signals = signals,
            Reasons = ReasonParser.ParseList(map.Sequence("reasons"), map.PathOf("reasons"), context),
            StateCodes = ParseCodes(map, "stateCodes", context),
            FaultCodes = ParseCodes(map, "faultCodes", context),
            StateModel = map.Choice("stateModel", ConfigNames.StateModels, "state model") ?? StateModel.Custom,
            UnitModes = ParseCodes(map, "unitModes", context),
        };
        foreach (var section in SectionParsers.Machine)
        {
            if (map.Get(section.Key) is { } sectionNode)
            {
                machine = section.Parse(sectionNode, map.PathOf(section.Key), machine, context);
            }
        }

        if (id is null)
        {
            return null;
        }

        context.RememberPath(machine, path);
        return machine;
    }

    /// <summary><c>faultCodes: { 101: jam, 102: tool_change }</c> (also stateCodes, unitModes): PLC number → reason code.</summary>
    private static Dictionary<long, string> ParseCodes(MappingReader machine, string key, ConfigContext context)
    {
        var result = new Dictionary<long, string>();
        if (machine.Mapping(key) is not { } node)
        {
            return result;
        }

        var path = machine.PathOf(key);
        context.Remember(path, node);
        foreach (var (codeNode, reasonNode) in node.Children)
        {
            var codeText = (codeNode as YamlScalarNode)?.Value ?? string.Empty;
            var itemPath = ConfigContext.Child(path, codeText);
            if (!long.TryParse(codeText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code))
            {
                context.Error(codeNode, itemPath, $"'{codeText}' is not a whole number (the code the PLC sends)");
                continue;
            }

            if (reasonNode is not YamlScalarNode { Value: { Length: > 0 } reason })
            {
                context.Error(reasonNode, itemPath, "expected a reason code from 'reasons'");
                continue;
            }

            context.Remember(itemPath, reasonNode);
            result[code] = reason;
        }

        return result;
    }
}
