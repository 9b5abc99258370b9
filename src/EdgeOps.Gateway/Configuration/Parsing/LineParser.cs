using EdgeOps.Core.Model;
using EdgeOps.Gateway.Configuration.Sources;
using YamlDotNet.RepresentationModel;

namespace EdgeOps.Gateway.Configuration.Parsing;

/// <summary>The root of a line file.</summary>
internal static class LineParser
{
    private static readonly string[] Keys = ["site", "area", "line", "name", "timeZone", "shifts", "machines", "reasons", "outputMachine", "sources", "products"];

    /// <summary>Parses whatever is usable; errors go to <paramref name="context"/>. Null only when the root is unusable.</summary>
    public static LineDefinition? Parse(YamlNode root, ConfigContext context)
    {
        var map = MappingReader.Open(root, string.Empty, context, Keys);
        if (map is null)
        {
            return null;
        }

        var machines = new List<MachineDefinition>();
        if (map.Sequence("machines", required: true) is { } list)
        {
            for (var i = 0; i < list.Children.Count; i++)
            {
                if (MachineParser.Parse(list.Children[i], ConfigContext.Item("machines", i), context) is { } machine)
                {
                    machines.Add(machine);
                }
            }

            if (list.Children.Count == 0)
            {
                context.Error(list, "machines", "empty: a line needs at least one machine");
            }
        }

        return new LineDefinition
        {
            Site = map.Id("site", required: true) ?? string.Empty,
            Area = map.Id("area", required: true) ?? string.Empty,
            Line = map.Id("line", required: true) ?? string.Empty,
            Name = map.String("name"),
            TimeZone = ParseTimeZone(map, context) ?? string.Empty,
            Shifts = ShiftParser.ParseList(map.Sequence("shifts", required: true), "shifts", context),
            Machines = machines,
            Reasons = ReasonParser.ParseList(map.Sequence("reasons"), "reasons", context),
            OutputMachine = map.String("outputMachine"),
            Products = ProductParser.ParseList(map.Sequence("products"), "products", context),
            Sources = ParseSources(map, context),
            SourceFile = context.File,
        };
    }

    private static string? ParseTimeZone(MappingReader map, ConfigContext context)
    {
        if (map.String("timeZone", required: true) is not { } id)
        {
            return null;
        }

        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(id);
            return id;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            var known = TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id);
            context.Error(map.Get("timeZone"), "timeZone", $"unknown time zone '{id}'{Suggestions.DidYouMean(id, known)}: expected an IANA id such as Europe/Berlin");
            return null;
        }
    }

    private static SourcesDefinition ParseSources(MappingReader line, ConfigContext context)
    {
        var sources = new SourcesDefinition();
        if (line.Mapping("sources") is not { } node)
        {
            return sources;
        }

        var map = new MappingReader(node, "sources", context, [.. SourcesSectionParsers.All.Select(p => p.Key)]);
        foreach (var parser in SourcesSectionParsers.All)
        {
            // Raw, not Get: "simulator:" with nothing after it is the section with its defaults.
            if (map.Raw(parser.Key) is { } section)
            {
                sources = parser.Parse(section, map.PathOf(parser.Key), sources, context);
            }
        }

        return sources;
    }
}
