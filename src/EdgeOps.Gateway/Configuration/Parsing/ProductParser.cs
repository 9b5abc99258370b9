using System.Text.RegularExpressions;
using EdgeOps.Core.Model;
using YamlDotNet.RepresentationModel;

namespace EdgeOps.Gateway.Configuration.Parsing;

/// <summary>
/// <c>products: [{ id, name, code, idealCycleTime, targetPerHour, unitsPerCycle }]</c>; <c>idealCycleTime</c> is one
/// duration for every machine or a mapping machine id → duration.
/// </summary>
internal static partial class ProductParser
{
    private static readonly string[] Keys = ["id", "name", "code", "idealCycleTime", "targetPerHour", "unitsPerCycle"];

    public static IReadOnlyList<ProductDefinition> ParseList(YamlSequenceNode? list, string path, ConfigContext context)
    {
        var result = new List<ProductDefinition>();
        if (list is null)
        {
            return result;
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            var itemPath = ConfigContext.Item(path, i);
            var map = MappingReader.Open(list.Children[i], itemPath, context, Keys);
            if (map is null)
            {
                continue;
            }

            var id = map.String("id", required: true);
            if (id is not null && !IdPattern().IsMatch(id))
            {
                context.Error(map.Get("id"), map.PathOf("id"), $"'{id}' must be letters, digits, '-', '_' or '.', starting with a letter or digit (at most 64)");
            }

            TimeSpan? lineWide = null;
            var perMachine = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
            if (map.Get("idealCycleTime") is YamlMappingNode machines)
            {
                var ictPath = map.PathOf("idealCycleTime");
                var inner = new MappingReader(machines, ictPath, context, [.. machines.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? string.Empty)]);
                foreach (var (keyNode, _) in machines.Children)
                {
                    if (keyNode is YamlScalarNode { Value: { } machine } && inner.Duration(machine) is { } time)
                    {
                        perMachine[machine] = time;
                    }
                }
            }
            else if (map.Has("idealCycleTime"))
            {
                lineWide = map.Duration("idealCycleTime");
            }

            var product = new ProductDefinition
            {
                Id = id ?? string.Empty,
                Name = map.String("name"),
                Code = map.Integer("code", min: 1),
                IdealCycleTime = lineWide,
                MachineIdealCycleTimes = perMachine,
                TargetPerHour = map.Double("targetPerHour", min: 0),
                UnitsPerCycle = (int)(map.Integer("unitsPerCycle", min: 1, max: 10_000) ?? 1),
            };
            if (id is null)
            {
                continue;
            }

            context.RememberPath(product, itemPath);
            result.Add(product);
        }

        return result;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
