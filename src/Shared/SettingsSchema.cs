using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using EdgeOps.Gateway.Configuration;
using Microsoft.Extensions.Configuration;

namespace EdgeOps.Settings;

/// <summary>
/// The keys a configuration section may hold, taken from the options types bound to it, and the check that every key
/// present is one of them. An unknown key is an error with a did-you-mean, as in the line file: the binder ignores a
/// key no property matches, so <c>EdgeOps__Mqtt__Host</c> once left a gateway on its embedded broker without a word.
/// </summary>
/// <remarks>
/// Linked into the gateway and the historian (one file, no shared project for one class). The keys come from the
/// types by reflection over their public properties, so a property added to an options type is a known key at once;
/// a key read without an options type must be declared with <see cref="Value"/>.
/// <para>
/// Native AOT (the published gateway): the types named here (<see cref="SettingsSchema(string, Type)"/>,
/// <see cref="Section"/>) keep their public properties by annotation. The options types reached through their properties
/// (e.g. <c>MqttOptions.Tls</c>) cannot carry the annotation through <see cref="PropertyInfo.PropertyType"/>; they keep
/// theirs because the configuration binding generator's code sets and reads every one of them, and AOT keeps the
/// metadata of what it compiles. TrimmedBuildTests and InstalledDebTests run the AOT binary with valid and misspelt
/// keys, so a property that went missing would show as a refused valid key or a lost did-you-mean.
/// </para>
/// </remarks>
internal sealed class SettingsSchema
{
    private const DynamicallyAccessedMemberTypes Reflected = DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.Interfaces;

    private readonly string _root;
    private readonly Type _rootType;
    private readonly Dictionary<string, Type> _sections = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _notSettings = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A schema for the section <paramref name="root"/> (e.g. <c>EdgeOps</c>) bound to <paramref name="rootType"/>.</summary>
    public SettingsSchema(string root, [DynamicallyAccessedMembers(Reflected)] Type rootType)
    {
        _root = root;
        _rootType = rootType;
    }

    /// <summary>The section <c>{root}:{path}</c> is bound to <paramref name="type"/> (keys beside the root type's own).</summary>
    public SettingsSchema Section(string path, [DynamicallyAccessedMembers(Reflected)] Type type)
    {
        _sections[$"{_root}:{path}"] = type;
        return this;
    }

    /// <summary>A single value read directly (<c>{root}:{path}</c>), not through an options type.</summary>
    public SettingsSchema Value(string path)
    {
        _values.Add($"{_root}:{path}");
        return this;
    }

    /// <summary>
    /// A property of a bound type that is not a setting (the host fills it in): setting it is an error saying
    /// <paramref name="instead"/>.
    /// </summary>
    public SettingsSchema NotASetting(string path, string instead)
    {
        _notSettings[$"{_root}:{path}"] = instead;
        return this;
    }

    /// <summary>
    /// One message per key under the root that nothing binds, each naming the key, where it was set, and the closest
    /// known key when one is close enough to be a typo. Empty when every key is known.
    /// </summary>
    public IReadOnlyList<string> UnknownKeys(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var errors = new List<string>();
        Walk(configuration, configuration.GetSection(_root), _rootType, errors);
        return errors;
    }

    private void Walk(IConfiguration configuration, IConfigurationSection section, Type type, List<string> errors)
    {
        var properties = Bindable(type);
        var extra = _sections.Keys.Concat(_values).Concat(_notSettings.Keys)
            .Where(k => IsChildOf(k, section.Path))
            .Select(k => k[(section.Path.Length + 1)..])
            .ToList();
        foreach (var child in section.GetChildren())
        {
            if (_notSettings.TryGetValue(child.Path, out var instead))
            {
                errors.Add($"{Source(configuration, child)}: {child.Path}: not a setting; {instead}");
                continue;
            }

            if (_sections.TryGetValue(child.Path, out var sectionType))
            {
                Walk(configuration, child, sectionType, errors);
                continue;
            }

            if (_values.Contains(child.Path))
            {
                ExpectValue(configuration, child, errors);
                continue;
            }

            if (properties.TryGetValue(child.Key, out var property))
            {
                Check(configuration, child, property.PropertyType, errors);
                continue;
            }

            var candidates = properties.Keys.Concat(extra).ToList();
            var match = Suggestions.Closest(child.Key, candidates);
            var hint = match is null ? string.Empty : $" (did you mean '{section.Path}:{match}'?)";
            errors.Add($"{Source(configuration, child)}: {child.Path}: unknown key '{child.Key}'{hint}");
        }
    }

    private void Check(IConfiguration configuration, IConfigurationSection section, Type type, List<string> errors)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (IsScalar(type))
        {
            ExpectValue(configuration, section, errors);
            return;
        }

        if (DictionaryValueType(type) is { } valueType)
        {
            foreach (var child in section.GetChildren())
            {
                Check(configuration, child, valueType, errors);
            }

            return;
        }

        if (ElementType(type) is { } elementType)
        {
            foreach (var child in section.GetChildren())
            {
                if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    errors.Add($"{Source(configuration, child)}: {child.Path}: '{child.Key}' is not a list index ({section.Path} is a list: {section.Path}:0, {section.Path}:1, ...)");
                    continue;
                }

                Check(configuration, child, elementType, errors);
            }

            return;
        }

        Walk(configuration, section, type, errors);
    }

    private static void ExpectValue(IConfiguration configuration, IConfigurationSection section, List<string> errors)
    {
        foreach (var child in section.GetChildren())
        {
            errors.Add($"{Source(configuration, child)}: {child.Path}: unknown key '{child.Key}' ({section.Path} is a single value, not a section)");
        }
    }

    private static bool IsChildOf(string key, string parent) =>
        key.Length > parent.Length + 1 && key.StartsWith(parent + ":", StringComparison.OrdinalIgnoreCase)
        && key.IndexOf(':', parent.Length + 1) < 0;

    /// <summary>What the configuration binder sets: public properties with a setter, and collections it fills in place.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Options types: kept by the annotations and the binding generator (remarks).")]
    [UnconditionalSuppressMessage("Trimming", "IL2067", Justification = "Options types: kept by the annotations and the binding generator (remarks).")]
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "Options types: kept by the annotations and the binding generator (remarks).")]
    private static Dictionary<string, PropertyInfo> Bindable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0
                && (p.SetMethod is { IsPublic: true } || (p.PropertyType != typeof(string) && ElementType(p.PropertyType) is not null)))
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
        || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Uri) || type == typeof(Guid)
        || type == typeof(TimeOnly) || type == typeof(DateOnly);

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Options types: kept by the annotations and the binding generator (remarks).")]
    [UnconditionalSuppressMessage("Trimming", "IL2067", Justification = "Options types: kept by the annotations and the binding generator (remarks).")]
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "Options types: kept by the annotations and the binding generator (remarks).")]
    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        var enumerable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Options types: kept by the annotations and the binding generator (remarks).")]
    [UnconditionalSuppressMessage("Trimming", "IL2067", Justification = "Options types: kept by the annotations and the binding generator (remarks).")]
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "Options types: kept by the annotations and the binding generator (remarks).")]
    private static Type? DictionaryValueType(Type type)
    {
        var dictionary = new[] { type }.Concat(type.GetInterfaces())
            .FirstOrDefault(i => i.IsGenericType && (i.GetGenericTypeDefinition() == typeof(IDictionary<,>) || i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)));
        return dictionary?.GetGenericArguments()[1];
    }

    /// <summary>
    /// Where a key was set, as a plant engineer would look for it: the JSON file, the environment variable
    /// (<c>EdgeOps__Mqtt__Host</c>, the spelling in /etc/edgeops/edgeops.env), the command line, or a credential file.
    /// The last provider that has the key (or a key under it) wins, as in the configuration itself.
    /// </summary>
    private static string Source(IConfiguration configuration, IConfigurationSection section)
    {
        var key = section.Value is null
            ? section.AsEnumerable().FirstOrDefault(p => p.Value is not null).Key ?? section.Path
            : section.Path;
        var environmentName = key.Replace(":", "__", StringComparison.Ordinal);
        if (configuration is not IConfigurationRoot root)
        {
            return "settings";
        }

        foreach (var provider in root.Providers.Reverse())
        {
            if (!provider.TryGet(key, out _))
            {
                continue;
            }

            return provider switch
            {
                Microsoft.Extensions.Configuration.Json.JsonConfigurationProvider json => json.Source.Path ?? "a JSON settings file",
                Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationProvider => $"environment variable {environmentName}",
                Microsoft.Extensions.Configuration.CommandLine.CommandLineConfigurationProvider => $"command line --{key}",
                _ when provider.GetType().Name == "SystemdCredentialsConfigurationProvider" => $"credential file {environmentName}",
                _ => "settings",
            };
        }

        return "settings";
    }
}
