using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeOps.Contract.Payloads;
using EdgeOps.Core.Engine;
using EdgeOps.Core.Engine.Checkpoints;
using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Kpi;
using EdgeOps.Core.Signals;
using EdgeOps.Gateway.Configuration;
using EdgeOps.Gateway.Hosting;
using EdgeOps.Sources.Simulation;

namespace EdgeOps.Gateway.Tests.Hosting;

/// <summary>
/// The published gateway is Native AOT with reflection-based JSON off: what it serializes comes from
/// <see cref="GatewayJsonContext"/> and <see cref="PayloadJsonContext"/>. These tests hold the contexts complete and
/// the JSON unchanged from what the reflection serializer wrote (checkpoints of an earlier version must still load,
/// the live view and central tools read the API).
/// </summary>
public sealed class GatewayJsonContextTests
{
    // Monday 2 March 2026, 13:00 UTC: the early shift (06:00-14:00 Berlin) closes during the run.
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 11, 30, 0, TimeSpan.Zero);

    /// <summary>What the gateway used before source generation: the web API's and replay's options, and the checkpoints'.</summary>
    private static readonly JsonSerializerOptions ReflectionApi = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private static readonly JsonSerializerOptions ReflectionCheckpoints = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    [Fact]
    public void SourceGeneratedJson_OfASimulatedShiftChange_IsWhatTheReflectionSerializerWrote()
    {
        var (engine, events) = RunDemoLine(TimeSpan.FromHours(2));
        var now = engine.Now;
        var snapshot = engine.GetLineSnapshot(now);
        var checkpoint = engine.CreateCheckpoint(now);
        var shifts = events.OfType<ShiftClosedEvent>().Select(e => e.Record).ToList();
        Assert.NotEmpty(shifts);
        Assert.Contains(events, e => e is StateChangedEvent);
        Assert.Contains(events, e => e is StopEndedEvent);

        var api = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        GatewayJson.ConfigureApi(api);
        Assert.Equal(JsonSerializer.Serialize(snapshot, ReflectionApi), JsonSerializer.Serialize(snapshot, GatewayJson.Info<LineSnapshot>(api)));
        Assert.Equal(JsonSerializer.Serialize<IReadOnlyList<ShiftRecord>>(shifts, ReflectionApi),
            JsonSerializer.Serialize<IReadOnlyList<ShiftRecord>>(shifts, GatewayJson.Info<IReadOnlyList<ShiftRecord>>(api)));
        IReadOnlyList<object> asObjects = [.. events];
        Assert.Equal(JsonSerializer.Serialize(asObjects, ReflectionApi), JsonSerializer.Serialize(asObjects, GatewayJson.Info<IReadOnlyList<object>>(api)));

        var written = JsonSerializer.Serialize(checkpoint, GatewayJson.Checkpoint<EngineCheckpoint>());
        Assert.Equal(JsonSerializer.Serialize(checkpoint, ReflectionCheckpoints), written);
        // And reads back into the same checkpoint, which the engine restores from.
        var read = JsonSerializer.Deserialize(written, GatewayJson.Checkpoint<EngineCheckpoint>())!;
        Assert.Equal(written, JsonSerializer.Serialize(read, ReflectionCheckpoints));
        Assert.Equal(engine.MachineCount, LineEngine.Restore(engine.Catalog, read, now).MachineCount);
    }

    [Fact]
    public void EveryConcreteEngineEvent_IsInTheGatewayContext()
    {
        // /api/events writes each event by its runtime type; one missing would fail the request on the device.
        var missing = typeof(EngineEvent).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false } && typeof(EngineEvent).IsAssignableFrom(t))
            .Where(t => GatewayJsonContext.Default.GetTypeInfo(t) is null)
            .Select(t => t.Name)
            .ToList();

        Assert.True(missing.Count == 0, "Add [JsonSerializable(typeof(X))] to GatewayJsonContext for: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryEnumTheApiWrites_IsWrittenAsItsCamelCaseName()
    {
        var enums = Reachable(Registered(typeof(GatewayJsonContext))).Where(t => t.IsEnum).ToList();
        Assert.NotEmpty(enums);
        var api = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        GatewayJson.ConfigureApi(api);

        var numbers = enums
            .Where(e => Enum.GetValues(e).Length > 0)
            .Where(e => JsonSerializer.Serialize(Enum.GetValues(e).GetValue(0), api.GetTypeInfo(e))[0] != '"')
            .Select(e => e.FullName)
            .ToList();

        Assert.True(numbers.Count == 0, "Written as numbers; add them to GatewayJson.EnumConverters: " + string.Join(", ", numbers));
    }

    [Fact]
    public void EveryPayloadRecord_IsInThePayloadContext()
    {
        var missing = typeof(PayloadBase).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false } && typeof(PayloadBase).IsAssignableFrom(t))
            .Where(t => PayloadJsonContext.Default.GetTypeInfo(t) is null)
            .Select(t => t.Name)
            .ToList();

        Assert.True(missing.Count == 0, "Add [JsonSerializable(typeof(X))] to PayloadJsonContext for: " + string.Join(", ", missing));
    }

    [Fact]
    public void AnUnregisteredType_FailsInTheTestsAsOnTheDevice()
    {
        // No reflection fallback in the gateway's options: a forgotten type cannot pass here and fail in the AOT build.
        var error = Assert.Throws<NotSupportedException>(() => GatewayJson.Checkpoints.GetTypeInfo(typeof(Uri)));
        Assert.Contains("Uri", error.Message, StringComparison.Ordinal);
    }

    private static (LineEngine Engine, List<EngineEvent> Events) RunDemoLine(TimeSpan duration)
    {
        var demo = LineConfigLoader.Load(Path.Combine(EdgeOps.Gateway.Tests.Configuration.RepoPaths.LinesDirectory, "demo-line.yaml")).Line!;
        var line = demo with { Sources = demo.Sources with { Simulator = demo.Sources.Simulator! with { Speed = 60 } } };
        var catalog = new SignalCatalog(line);
        var engine = new LineEngine(catalog, Start);
        var events = new List<EngineEvent>();
        foreach (var signal in new LineSimulator(catalog, TimeProvider.System, Start).Generate(Start, Start + duration))
        {
            engine.Process(signal);
            engine.DrainEvents(events);
        }

        engine.Advance(Start + duration);
        engine.DrainEvents(events);
        return (engine, events);
    }

    private static IEnumerable<Type> Registered(Type context) =>
        context.GetCustomAttributesData().Where(a => a.AttributeType == typeof(JsonSerializableAttribute))
            .Select(a => (Type)a.ConstructorArguments[0].Value!);

    /// <summary>Every type reachable through public properties and generic arguments (what the generator walks).</summary>
    private static HashSet<Type> Reachable(IEnumerable<Type> roots)
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>(roots);
        while (pending.TryPop(out var type))
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (!seen.Add(type) || type.Assembly == typeof(object).Assembly && !type.IsGenericType)
            {
                continue;
            }

            foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : [])
            {
                pending.Push(argument);
            }

            if (type.IsArray)
            {
                pending.Push(type.GetElementType()!);
            }

            if (type.Assembly != typeof(object).Assembly)
            {
                foreach (var property in type.GetProperties(BindingFlags.Instance | BindingFlags.Public))
                {
                    pending.Push(property.PropertyType);
                }
            }
        }

        return seen;
    }
}
