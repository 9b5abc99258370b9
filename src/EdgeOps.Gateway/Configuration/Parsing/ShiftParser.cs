using EdgeOps.Core.Model;
using YamlDotNet.RepresentationModel;

namespace EdgeOps.Gateway.Configuration.Parsing;

/// <summary>
/// <c>shifts: [{ name: early, start: "06:00", end: "14:00", days: [mon, tue, ...], breaks: [...] }]</c>.
/// Overlaps and breaks outside their shift are checked in <c>ShiftCalendarValidator</c>.
/// </summary>
internal static class ShiftParser
{
    public static IReadOnlyList<ShiftDefinition> ParseList(YamlSequenceNode? list, string path, ConfigContext context)
    {
        var result = new List<ShiftDefinition>();
        if (list is null)
        {
            return result;
        }

        if (list.Children.Count == 0)
        {
            context.Error(list, path, "at least one shift is needed (KPIs are per shift)");
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            var itemPath = ConfigContext.Item(path, i);
            var map = MappingReader.Open(list.Children[i], itemPath, context, "name", "start", "end", "days", "breaks");
            if (map is null)
            {
                continue;
            }

            var name = map.Id("name", required: true);
            var start = map.Time("start", required: true);
            var end = map.Time("end", required: true);
            var days = ParseDays(map, context);
            var breaks = ParseBreaks(map.Sequence("breaks"), map.PathOf("breaks"), context);
            if (name is null || start is null || end is null)
            {
                continue;
            }

            var shift = new ShiftDefinition { Name = name, Start = start.Value, End = end.Value, Breaks = breaks };
            if (days is not null)
            {
                shift = shift with { Days = days };
            }

            context.RememberPath(shift, itemPath);
            result.Add(shift);
        }

        return result;
    }

    private static List<DayOfWeek>? ParseDays(MappingReader map, ConfigContext context)
    {
        if (map.Sequence("days") is not { } list)
        {
            return null;
        }

        var days = new List<DayOfWeek>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var dayPath = ConfigContext.Item(map.PathOf("days"), i);
            var node = list.Children[i];
            var text = node is YamlScalarNode { Value: { } v } ? v : string.Empty;
            if (!TryParseDay(text, out var day))
            {
                context.Error(node, dayPath, MappingReader.UnknownName("day", text, ConfigNames.Days.Keys));
                continue;
            }

            if (days.Contains(day))
            {
                context.Error(node, dayPath, $"'{text}' is listed twice");
                continue;
            }

            days.Add(day);
        }

        if (list.Children.Count == 0)
        {
            context.Error(list, map.PathOf("days"), "empty: list the days the shift starts on, or leave 'days' out for Monday to Friday");
        }

        return days;
    }

    /// <summary>"mon" or "Monday", any case.</summary>
    private static bool TryParseDay(string text, out DayOfWeek day)
    {
        if (ConfigNames.Days.TryGetValue(text, out day))
        {
            return true;
        }

        var full = Enum.GetValues<DayOfWeek>().Where(d => string.Equals(d.ToString(), text, StringComparison.OrdinalIgnoreCase)).ToList();
        day = full.FirstOrDefault();
        return full.Count == 1;
    }

    private static List<BreakDefinition> ParseBreaks(YamlSequenceNode? list, string path, ConfigContext context)
    {
        var result = new List<BreakDefinition>();
        if (list is null)
        {
            return result;
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            var itemPath = ConfigContext.Item(path, i);
            var map = MappingReader.Open(list.Children[i], itemPath, context, "name", "start", "end");
            if (map is null)
            {
                continue;
            }

            var name = map.String("name", required: true);
            var start = map.Time("start", required: true);
            var end = map.Time("end", required: true);
            if (name is null || start is null || end is null)
            {
                continue;
            }

            var item = new BreakDefinition { Name = name, Start = start.Value, End = end.Value };
            context.RememberPath(item, itemPath);
            result.Add(item);
        }

        return result;
    }
}
