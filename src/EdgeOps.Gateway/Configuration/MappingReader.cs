using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EdgeOps.Gateway.Configuration;

/// <summary>
/// Reads one YAML mapping with known keys: reports unknown keys (with a "did you mean"), missing required keys and
/// values of the wrong type, each with its key path, and keeps going so one load reports every problem.
/// Getters return null when the key is absent or its value is wrong (the error is already reported).
/// </summary>
internal sealed class MappingReader
{
    private readonly YamlMappingNode _node;
    private readonly Dictionary<string, YamlNode> _values = new(StringComparer.Ordinal);

    public MappingReader(YamlMappingNode node, string path, ConfigContext context, params string[] knownKeys)
    {
        _node = node;
        Path = path;
        Context = context;
        context.Remember(path, node);
        foreach (var (keyNode, value) in node.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                context.Error(keyNode, path, "keys must be plain names");
                continue;
            }

            var keyPath = ConfigContext.Child(path, key);
            if (!knownKeys.Contains(key, StringComparer.Ordinal))
            {
                context.Error(keyNode, keyPath, $"unknown key '{key}'{Suggestions.DidYouMean(key, knownKeys)}");
                continue;
            }

            context.Remember(keyPath, value);
            _values[key] = value;
        }
    }

    /// <summary>
    /// Reads <paramref name="node"/> as a mapping; reports and returns null when it is something else.
    /// </summary>
    public static MappingReader? Open(YamlNode node, string path, ConfigContext context, params string[] knownKeys)
    {
        if (node is YamlMappingNode mapping)
        {
            return new MappingReader(mapping, path, context, knownKeys);
        }

        context.Error(node, path, $"expected a mapping (key: value lines), got {Describe(node)}");
        return null;
    }

    public string Path { get; }

    public ConfigContext Context { get; }

    public YamlMappingNode Node => _node;

    public string PathOf(string key) => ConfigContext.Child(Path, key);

    /// <summary>True when the key is written, even with an empty value (<c>simulator:</c>).</summary>
    public bool Contains(string key) => _values.ContainsKey(key);

    /// <summary>The value node as written (an empty scalar for <c>key:</c>), or null when the key is absent.</summary>
    public YamlNode? Raw(string key) => _values.GetValueOrDefault(key);

    public bool Has(string key) => _values.TryGetValue(key, out var value) && !IsNull(value);

    /// <summary>The raw value node, or null (reporting it when <paramref name="required"/>).</summary>
    public YamlNode? Get(string key, bool required = false)
    {
        if (_values.TryGetValue(key, out var value) && !IsNull(value))
        {
            return value;
        }

        if (required)
        {
            Context.Error(_values.GetValueOrDefault(key) ?? _node, PathOf(key), "missing (required)");
        }

        return null;
    }

    public string? String(string key, bool required = false)
    {
        if (Get(key, required) is not { } node)
        {
            return null;
        }

        if (node is YamlScalarNode { Value: { } text })
        {
            return text;
        }

        Context.Error(node, PathOf(key), $"expected a text value, got {Describe(node)}");
        return null;
    }

    /// <summary>An id that becomes a topic level (see <see cref="ConfigIds"/>).</summary>
    public string? Id(string key, bool required = false)
    {
        var text = String(key, required);
        if (text is not null && !ConfigIds.IsValid(text))
        {
            Context.Error(_values[key], PathOf(key), $"'{text}' {ConfigIds.Rule}");
        }

        return text;
    }

    public double? Double(string key, double min = double.MinValue, double max = double.MaxValue, bool required = false)
    {
        if (String(key, required) is not { } text)
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            Context.Error(_values[key], PathOf(key), $"'{text}' is not a number");
            return null;
        }

        if (value < min || value > max)
        {
            Context.Error(_values[key], PathOf(key), $"{text} is out of range ({Range(min, max)})");
            return null;
        }

        return value;
    }

    public long? Integer(string key, long min = long.MinValue, long max = long.MaxValue, bool required = false)
    {
        if (String(key, required) is not { } text)
        {
            return null;
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            Context.Error(_values[key], PathOf(key), $"'{text}' is not a whole number");
            return null;
        }

        if (value < min || value > max)
        {
            Context.Error(_values[key], PathOf(key), $"{text} is out of range ({Range(min, max)})");
            return null;
        }

        return value;
    }

    public bool? Bool(string key, bool required = false)
    {
        if (String(key, required) is not { } text)
        {
            return null;
        }

        switch (text)
        {
            case "true" or "True" or "TRUE":
                return true;
            case "false" or "False" or "FALSE":
                return false;
            default:
                Context.Error(_values[key], PathOf(key), $"'{text}' is not true or false");
                return null;
        }
    }

    public TimeSpan? Duration(string key, bool required = false, bool allowZero = false)
    {
        if (String(key, required) is not { } text)
        {
            return null;
        }

        if (!Durations.TryParse(text, out var value))
        {
            Context.Error(_values[key], PathOf(key), $"'{text}' is not a duration: expected {Durations.Expected}");
            return null;
        }

        if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero))
        {
            Context.Error(_values[key], PathOf(key), $"'{text}' must be greater than zero");
            return null;
        }

        return value;
    }

    /// <summary>A local time of day written "HH:mm" (quoted, so YAML 1.1 tools do not read 06:00 as a number).</summary>
    public TimeOnly? Time(string key, bool required = false)
    {
        if (String(key, required) is not { } text)
        {
            return null;
        }

        if (!TimeOnly.TryParseExact(text, ["HH:mm", "H:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            Context.Error(_values[key], PathOf(key), $"'{text}' is not a time of day: expected \"HH:mm\" (e.g. \"06:00\")");
            return null;
        }

        return value;
    }

    /// <summary>A value from a fixed set of names; the message lists them all.</summary>
    public T? Choice<T>(string key, IReadOnlyDictionary<string, T> names, string what, bool required = false)
        where T : struct
    {
        if (String(key, required) is not { } text)
        {
            return null;
        }

        if (names.TryGetValue(text, out var value))
        {
            return value;
        }

        Context.Error(_values[key], PathOf(key), UnknownName(what, text, names.Keys));
        return null;
    }

    public YamlMappingNode? Mapping(string key, bool required = false)
    {
        if (Get(key, required) is not { } node)
        {
            return null;
        }

        if (node is YamlMappingNode mapping)
        {
            return mapping;
        }

        Context.Error(node, PathOf(key), $"expected a mapping (key: value lines), got {Describe(node)}");
        return null;
    }

    public YamlSequenceNode? Sequence(string key, bool required = false)
    {
        if (Get(key, required) is not { } node)
        {
            return null;
        }

        if (node is YamlSequenceNode sequence)
        {
            return sequence;
        }

        Context.Error(node, PathOf(key), $"expected a list ('- ' items), got {Describe(node)}");
        return null;
    }

    /// <summary>"unknown role 'cnt' (did you mean 'cnt'?) (expected one of: a, b, c)".</summary>
    public static string UnknownName(string what, string value, IEnumerable<string> names)
    {
        var list = names.ToList();
        return $"unknown {what} '{value}'{Suggestions.DidYouMean(value, list)} (expected one of: {string.Join(", ", list)})";
    }

    /// <summary>An empty value, <c>~</c> or <c>null</c> (unquoted): the same as leaving the key out.</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode { Value: { } v } => $"'{v}'",
        _ => "nothing",
    };

    private static string Range(double min, double max) =>
        min == double.MinValue ? $"at most {max.ToString(CultureInfo.InvariantCulture)}"
        : max == double.MaxValue ? $"at least {min.ToString(CultureInfo.InvariantCulture)}"
        : $"{min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)}";

    private static string Range(long min, long max) =>
        min == long.MinValue ? $"at most {max.ToString(CultureInfo.InvariantCulture)}"
        : max == long.MaxValue ? $"at least {min.ToString(CultureInfo.InvariantCulture)}"
        : $"{min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)}";
}
