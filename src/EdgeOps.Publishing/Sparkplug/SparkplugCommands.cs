using System.Buffers;
using System.Text.Json;
using EdgeOps.Contract;
using EdgeOps.Contract.Sparkplug;

namespace EdgeOps.Publishing.Sparkplug;

/// <summary>
/// The writable metrics of a device, declared in its DBIRTH so a host can write them, and their mapping onto the JSON
/// contract's commands: a DCMD becomes the command payload the <see cref="Mqtt.Commands.CommandRouter"/> validates and
/// applies, so both encodings share one validation, one request-id log and one reply.
/// </summary>
internal static class SparkplugCommands
{
    public const string AssignReason = "Commands/Assign Reason";
    public const string PlannedStop = "Commands/Planned Stop";
    public const string ResetMaintenance = "Commands/Reset Maintenance";
    public const string StopId = "Commands/Stop Id";
    public const string Comment = "Commands/Comment";
    public const string PlannedStopReason = "Commands/Planned Stop Reason";
    public const string Operator = "Commands/Operator";
    public const string RequestId = "Commands/Request Id";
    public const string Reply = "Commands/Reply";

    /// <summary>Action metric → (verb, JSON field its value goes to); parameter metric → JSON field.</summary>
    private static readonly Dictionary<string, (string? Verb, string Field)> Writable = new(StringComparer.Ordinal)
    {
        [AssignReason] = (CommandVerb.AssignReason, "reasonCode"),
        [PlannedStop] = (CommandVerb.PlannedStop, "active"),
        [ResetMaintenance] = (CommandVerb.ResetMaintenance, "item"),
        [StopId] = (null, "stopId"),
        [Comment] = (null, "comment"),
        [PlannedStopReason] = (null, "reasonCode"),
        [Operator] = (null, "operator"),
        [RequestId] = (null, "requestId"),
    };

    public static IReadOnlyList<MetricDefinition> Definitions { get; } =
    [
        new(AssignReason, SparkplugDataType.String),
        new(PlannedStop, SparkplugDataType.Boolean),
        new(ResetMaintenance, SparkplugDataType.String),
        new(StopId, SparkplugDataType.Int64),
        new(Comment, SparkplugDataType.String),
        new(PlannedStopReason, SparkplugDataType.String),
        new(Operator, SparkplugDataType.String),
        new(RequestId, SparkplugDataType.String),
        new(Reply, SparkplugDataType.String),
    ];

    /// <summary>The command metrics' values in a birth: empty, false, and no reply yet.</summary>
    public static void Initialise(MetricSet metrics)
    {
        foreach (var definition in Definitions)
        {
            var value = definition.Type switch
            {
                SparkplugDataType.Boolean => SparkplugValue.Boolean(false),
                SparkplugDataType.Int64 => SparkplugValue.Integer(SparkplugDataType.Int64, 0),
                _ => SparkplugValue.String(string.Empty),
            };
            metrics.Initialise(metrics.IndexOf(definition.Name), value);
        }
    }

    /// <summary>
    /// Reads a DCMD's metrics (by name or alias) into the verb and JSON payload of the matching contract command; null
    /// with <paramref name="error"/> (naming the metric) when a metric is unknown, not writable, of the wrong data type or
    /// null, or when there is not exactly one action.
    /// </summary>
    public static (string Verb, byte[] Json)? TryMap(SparkplugPayload payload, MetricSet metrics, out string? error)
    {
        ArgumentNullException.ThrowIfNull(payload);
        string? verb = null;
        var fields = new List<(string Field, string Name, SparkplugMetric Metric, SparkplugDataType Type)>();
        foreach (var metric in payload.Metrics)
        {
            var index = metric.Name is { } name ? metrics.IndexOf(name) : metric.Alias is { } alias ? metrics.IndexOfAlias(alias) : -1;
            var label = metric.Name ?? (metric.Alias is { } a ? $"alias {a}" : "(no name, no alias)");
            if (index < 0)
            {
                error = $"unknown metric '{label}'";
                return null;
            }

            var definition = metrics.Definitions[index];
            if (!Writable.TryGetValue(definition.Name, out var target))
            {
                error = $"metric '{definition.Name}' is not writable; writable: {string.Join(", ", Writable.Keys)}";
                return null;
            }

            if ((metric.DataType != SparkplugDataType.Unknown && metric.DataType != definition.Type) || metric.IsNull
                || !Fits(metric.Value.Case, definition.Type))
            {
                error = $"metric '{definition.Name}' must be a {definition.Type}, found {(metric.IsNull ? "null" : $"{metric.DataType} ({metric.Value.Case} value)")}";
                return null;
            }

            if (target.Verb is { } actionVerb)
            {
                if (verb is not null)
                {
                    error = $"one DCMD carries one command; found '{verb}' and '{actionVerb}'";
                    return null;
                }

                verb = actionVerb;
            }

            fields.Add((target.Field, definition.Name, metric, definition.Type));
        }

        if (verb is null)
        {
            error = $"no command metric; one of {AssignReason}, {PlannedStop}, {ResetMaintenance}";
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (field, name, metric, type) in fields)
            {
                // The assign-reason code and the planned stop's reason share the JSON field: each belongs to its own verb.
                if ((name == PlannedStopReason && verb != CommandVerb.PlannedStop) || (name == AssignReason && verb != CommandVerb.AssignReason))
                {
                    error = $"metric '{name}' does not go with '{verb}'";
                    return null;
                }

                json.WritePropertyName(field);
                switch (type)
                {
                    case SparkplugDataType.Boolean:
                        json.WriteBooleanValue(metric.Value.Bits != 0);
                        break;
                    case SparkplugDataType.Int64:
                        json.WriteNumberValue(unchecked((long)metric.Value.Bits));
                        break;
                    default:
                        json.WriteStringValue(metric.Value.Text);
                        break;
                }
            }

            json.WriteEndObject();
        }

        error = null;
        return (verb, buffer.WrittenSpan.ToArray());
    }

    private static bool Fits(SparkplugValueCase value, SparkplugDataType type) => type switch
    {
        SparkplugDataType.Boolean => value == SparkplugValueCase.Boolean,
        SparkplugDataType.Int64 => value is SparkplugValueCase.Long or SparkplugValueCase.Int,
        _ => value == SparkplugValueCase.String,
    };
}
