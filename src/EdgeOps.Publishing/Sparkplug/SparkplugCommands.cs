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
    public const string StartOrder = "Commands/Start Order";
    public const string CompleteOrder = "Commands/Complete Order";
    public const string PauseOrder = "Commands/Pause Order";
    public const string ResumeOrder = "Commands/Resume Order";
    public const string Product = "Commands/Product";
    public const string Quantity = "Commands/Quantity";
    public const string Due = "Commands/Due";

    /// <summary>Action metric → (verb, JSON field its value goes to); parameter metric → JSON field.</summary>
    private static readonly Dictionary<string, (string? Verb, string Field)> Writable = new(StringComparer.Ordinal)
    {
        [AssignReason] = (CommandVerb.AssignReason, "reasonCode"),
        [PlannedStop] = (CommandVerb.PlannedStop, "active"),
        [ResetMaintenance] = (CommandVerb.ResetMaintenance, "item"),
        [StartOrder] = (CommandVerb.StartOrder, "orderId"),
        [CompleteOrder] = (CommandVerb.CompleteOrder, "orderId"),
        [PauseOrder] = (CommandVerb.PauseOrder, "orderId"),
        [ResumeOrder] = (CommandVerb.ResumeOrder, "orderId"),
        [Product] = (null, "product"),
        [Quantity] = (null, "quantity"),
        [Due] = (null, "due"),
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
        new(StartOrder, SparkplugDataType.String),
        new(CompleteOrder, SparkplugDataType.String),
        new(PauseOrder, SparkplugDataType.String),
        new(ResumeOrder, SparkplugDataType.String),
        new(Product, SparkplugDataType.String),
        new(Quantity, SparkplugDataType.Int64),
        new(Due, SparkplugDataType.String),
    ];

    /// <summary>The order verbs whose order id may be left out (the current order): an empty metric means that.</summary>
    private static readonly HashSet<string> CurrentOrderActions = new(StringComparer.Ordinal) { CompleteOrder, PauseOrder, ResumeOrder };

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
            error = $"no command metric; one of {string.Join(", ", Writable.Where(w => w.Value.Verb is not null).Select(w => w.Key))}";
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

                // The JSON command leaves orderId out to mean the current order (and refuses an empty one): so does an
                // empty Complete/Pause/Resume Order metric.
                if (CurrentOrderActions.Contains(name) && string.IsNullOrEmpty(metric.Value.Text))
                {
                    continue;
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
