using System.Text.RegularExpressions;
using EdgeOps.Core.Model;
using YamlDotNet.RepresentationModel;

namespace EdgeOps.Gateway.Configuration.Parsing;

/// <summary><c>reasons: [{ code: jam, label: Material jam, category: down }]</c>, on the line or a machine.</summary>
internal static partial class ReasonParser
{
    public static IReadOnlyList<ReasonCode> ParseList(YamlSequenceNode? list, string path, ConfigContext context)
    {
        var result = new List<ReasonCode>();
        if (list is null)
        {
            return result;
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            var itemPath = ConfigContext.Item(path, i);
            var map = MappingReader.Open(list.Children[i], itemPath, context, "code", "label", "category");
            if (map is null)
            {
                continue;
            }

            var code = map.String("code", required: true);
            if (code is not null && !CodePattern().IsMatch(code))
            {
                context.Error(map.Get("code"), map.PathOf("code"), $"'{code}' must be letters, digits, '-', '_' or '.', starting with a letter or digit");
            }

            var label = map.String("label", required: true);
            var category = map.Choice("category", ConfigNames.ReasonCategories, "category");
            if (code is null)
            {
                continue;
            }

            var reason = new ReasonCode { Code = code, Label = label ?? code, Category = category ?? StateCategory.Down };
            context.RememberPath(reason, itemPath);
            result.Add(reason);
        }

        return result;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();
}
