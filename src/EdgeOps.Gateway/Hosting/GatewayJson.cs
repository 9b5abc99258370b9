using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using EdgeOps.Core.Condition.Features;
using EdgeOps.Core.Condition.Maintenance;
using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;

namespace EdgeOps.Gateway.Hosting;

/// <summary>
/// The gateway's JSON options, each resolving types from <see cref="GatewayJsonContext"/> alone (no reflection
/// fallback), so a type missing from the context fails in the tests exactly as it would in the AOT build.
/// </summary>
internal static class GatewayJson
{
    /// <summary>
    /// Enums as camelCase names ("running", not 0) in what the gateway serves and prints. The generic converter per
    /// enum, because the non-generic <see cref="JsonStringEnumConverter"/> makes generic types at run time, which Native
    /// AOT cannot. An enum reachable from a registered type and missing here would print as a number:
    /// <c>GatewayJsonContextTests</c> walks the registered types and fails on it.
    /// </summary>
    // First: the options below are built from it, and static initializers run in the order they are written.
    public static IReadOnlyList<JsonConverter> EnumConverters { get; } =
    [
        CamelCase<StateCategory>(),
        CamelCase<CounterAnomalyKind>(),
        CamelCase<IsoZone>(),
        CamelCase<AlarmSeverity>(),
        CamelCase<MaintenanceLevel>(),
        CamelCase<SignalRole>(),
    ];

    /// <summary>Checkpoints: web defaults, enums as numbers (the stored format; do not change it).</summary>
    public static JsonSerializerOptions Checkpoints { get; } = Create(indented: false, enumNames: false);

    /// <summary>The web API's responses: web defaults, enums as camelCase names (ASP.NET Core's options are set alike).</summary>
    public static JsonSerializerOptions Api { get; } = Create(indented: false, enumNames: true);

    /// <summary><c>edgeops replay</c>'s output: indented, enums as camelCase names.</summary>
    public static JsonSerializerOptions Replay { get; } = Create(indented: true, enumNames: true);

    /// <summary>The checkpoint metadata of <typeparamref name="T"/> (a type registered in <see cref="GatewayJsonContext"/>).</summary>
    public static JsonTypeInfo<T> Checkpoint<T>() => Info<T>(Checkpoints);

    /// <summary>The metadata of <typeparamref name="T"/> under <paramref name="options"/>: throws when the context lacks it.</summary>
    public static JsonTypeInfo<T> Info<T>(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
    }

    /// <summary>Makes <paramref name="options"/> (ASP.NET Core's, for the web API) resolve from the context, enums as names.</summary>
    public static void ConfigureApi(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.TypeInfoResolver = GatewayJsonContext.Default;
        foreach (var converter in EnumConverters)
        {
            options.Converters.Add(converter);
        }
    }

    private static JsonSerializerOptions Create(bool indented, bool enumNames)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = indented };
        if (enumNames)
        {
            ConfigureApi(options);
        }
        else
        {
            options.TypeInfoResolver = GatewayJsonContext.Default;
        }

        options.MakeReadOnly();
        return options;
    }

    private static JsonStringEnumConverter<T> CamelCase<T>()
        where T : struct, Enum => new(JsonNamingPolicy.CamelCase);
}
