using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Gateway.Configuration.Bindings;
using EdgeOps.Gateway.Configuration.Sections;
using YamlDotNet.RepresentationModel;

namespace EdgeOps.Gateway.Configuration.Parsing;

/// <summary>One entry of a machine's <c>signals:</c> list.</summary>
internal static class SignalParser
{
    private static readonly string[] BaseKeys = ["name", "role", "countMode", "totalizerBits", "maxJump", "inverted", "kind", "unit", "source", "reason", "bits", "width"];

    public static SignalDefinition? Parse(YamlNode node, string path, ConfigContext context)
    {
        var map = MappingReader.Open(node, path, context, [.. BaseKeys, .. SectionParsers.Signal.Select(p => p.Key)]);
        if (map is null)
        {
            return null;
        }

        var name = map.Id("name", required: true);
        var role = map.Choice("role", ConfigNames.Roles, "role", required: true);
        var countMode = map.Choice("countMode", ConfigNames.CountModes, "count mode");
        var bits = map.Integer("totalizerBits");
        var maxJump = map.Double("maxJump", min: 1);
        var inverted = map.Bool("inverted");
        var kind = map.String("kind");
        var unit = map.String("unit");
        var reason = map.String("reason");
        var width = map.Integer("width");
        var source = ParseSource(map, context);
        var statusBits = ParseBits(map, context);

        if (width is not null and not (8 or 16 or 32))
        {
            context.Error(map.Get("width"), map.PathOf("width"), $"{width} is not a status word width: expected 8, 16 or 32");
        }

        if (bits is not null and not (16 or 32 or 64))
        {
            context.Error(map.Get("totalizerBits"), map.PathOf("totalizerBits"), $"{bits} is not a counter width: expected 16, 32 or 64");
        }

        if (role is { } r)
        {
            CheckRoleKeys(map, r, context);
        }

        if (name is null || role is null)
        {
            return null;
        }

        var signal = new SignalDefinition
        {
            Name = name,
            Role = role.Value,
            CountMode = countMode ?? CountMode.Pulse,
            TotalizerBits = bits is 16 or 32 or 64 ? (int)bits.Value : 32,
            MaxJump = maxJump,
            Inverted = inverted ?? false,
            Kind = kind,
            Unit = unit,
            Source = source,
            Reason = reason,
            Bits = statusBits,
            WordWidth = width is 8 or 16 or 32 ? (int)width.Value : 16,
        };
        foreach (var section in SectionParsers.Signal)
        {
            if (map.Get(section.Key) is { } sectionNode)
            {
                signal = section.Parse(sectionNode, map.PathOf(section.Key), signal, context);
            }
        }

        context.RememberPath(signal, path);
        return signal;
    }

    // Keys that make no sense for the role are mistakes worth reporting (a totalizer flag on a boolean input
    // silently ignored would hide a wiring misunderstanding).
    private static void CheckRoleKeys(MappingReader map, SignalRole role, ConfigContext context)
    {
        var roleName = ConfigNames.NameOf(role);
        if (!ConfigNames.IsCount(role))
        {
            foreach (var key in new[] { "countMode", "totalizerBits", "maxJump" })
            {
                if (map.Has(key))
                {
                    context.Error(map.Get(key), map.PathOf(key), $"only count signals (total, good, reject, rework) take '{key}'; this one is '{roleName}'");
                }
            }
        }
        else if (map.Has("totalizerBits") && map.String("countMode") != "totalizer")
        {
            context.Error(map.Get("totalizerBits"), map.PathOf("totalizerBits"), "only applies with countMode: totalizer");
        }

        if (role != SignalRole.Analog)
        {
            foreach (var key in new[] { "kind", "unit" })
            {
                if (map.Has(key))
                {
                    context.Error(map.Get(key), map.PathOf(key), $"only analog signals take '{key}'; this one is '{roleName}'");
                }
            }
        }

        if (role == SignalRole.ReasonSelect && !map.Has("reason"))
        {
            context.Error(map.Get("role"), map.PathOf("reason"), "a reasonButton names the reason a press assigns: add 'reason: <code>'");
        }
        else if (role != SignalRole.ReasonSelect && map.Has("reason"))
        {
            context.Error(map.Get("reason"), map.PathOf("reason"), $"only reasonButton signals take 'reason'; this one is '{roleName}'");
        }

        if (map.Has("inverted") && (ConfigNames.IsCount(role) || ConfigNames.IsInteger(role) || role is SignalRole.Analog or SignalRole.ReasonSelect or SignalRole.Order or SignalRole.Product))
        {
            var hint = role == SignalRole.StatusWord ? " (invert a bit instead: '3: { role: fault, inverted: true }')" : string.Empty;
            context.Error(map.Get("inverted"), map.PathOf("inverted"), $"only boolean signals can be inverted; this one is '{roleName}'{hint}");
        }

        if (role == SignalRole.StatusWord && !map.Has("bits"))
        {
            context.Error(map.Get("role"), map.PathOf("bits"), "a statusWord names what its bits mean: add 'bits: { 0: running, 3: fault }'");
        }

        foreach (var key in new[] { "bits", "width" })
        {
            if (role != SignalRole.StatusWord && map.Has(key))
            {
                context.Error(map.Get(key), map.PathOf(key), $"only statusWord signals take '{key}'; this one is '{roleName}'");
            }
        }
    }

    /// <summary><c>bits: { 0: running, 3: { role: fault, inverted: true } }</c>: bit number → boolean role.</summary>
    private static List<StatusBitDefinition> ParseBits(MappingReader signal, ConfigContext context)
    {
        var bits = new List<StatusBitDefinition>();
        if (signal.Mapping("bits") is not { } node)
        {
            return bits;
        }

        var path = signal.PathOf("bits");
        foreach (var (bitNode, valueNode) in node.Children)
        {
            var bitText = (bitNode as YamlScalarNode)?.Value ?? string.Empty;
            var bitPath = ConfigContext.Child(path, bitText);
            context.Remember(bitPath, valueNode);
            if (!int.TryParse(bitText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bit) || bit > 31)
            {
                context.Error(bitNode, bitPath, $"'{bitText}' is not a bit number (0..31, 0 the least significant bit)");
                continue;
            }

            string? roleText;
            var inverted = false;
            if (valueNode is YamlMappingNode)
            {
                var bitMap = MappingReader.Open(valueNode, bitPath, context, "role", "inverted");
                roleText = bitMap?.String("role", required: true);
                inverted = bitMap?.Bool("inverted") ?? false;
            }
            else
            {
                roleText = (valueNode as YamlScalarNode)?.Value;
            }

            if (roleText is null)
            {
                if (valueNode is not YamlMappingNode)
                {
                    context.Error(valueNode, bitPath, $"expected a role ({string.Join(", ", ConfigNames.BitRoles.Keys)}) or '{{ role: fault, inverted: true }}'");
                }

                continue;
            }

            if (!ConfigNames.BitRoles.TryGetValue(roleText, out var role))
            {
                context.Error(valueNode, bitPath, MappingReader.UnknownName("bit role", roleText, ConfigNames.BitRoles.Keys));
                continue;
            }

            bits.Add(new StatusBitDefinition(bit, role, inverted));
        }

        if (node.Children.Count == 0)
        {
            context.Error(node, path, "empty: map at least one bit to a role");
        }

        return bits;
    }

    private static SourceBinding? ParseSource(MappingReader signal, ConfigContext context)
    {
        if (signal.Mapping("source") is not { } node)
        {
            return null;
        }

        var path = signal.PathOf("source");
        var kinds = BindingParsers.All.Select(p => p.Kind).ToArray();
        var map = new MappingReader(node, path, context, kinds);
        SourceBinding? binding = null;
        var written = BindingParsers.All.Where(p => map.Contains(p.Kind)).ToList();
        foreach (var parser in written)
        {
            binding = parser.Parse(map.Raw(parser.Kind)!, map.PathOf(parser.Kind), context);
        }

        if (written.Count > 1)
        {
            context.Error(node, path, $"a signal has one source; found {written.Count} ({string.Join(", ", written.Select(p => p.Kind))})");
            return null;
        }

        if (node.Children.Count == 0)
        {
            context.Error(node, path, $"empty: name one source kind ({string.Join(", ", kinds)})");
        }

        return binding;
    }
}
