using System.Buffers;
using System.Globalization;
using System.Text.Json;
using EdgeOps.Contract;

namespace EdgeOps.Ingest;

/// <summary>
/// Maps one MQTT contract message (topic + JSON payload) to InfluxDB points; the schema is in docs/historian.md.
/// Pure and deterministic: the same message always gives byte-identical lines, so a redelivered message only
/// overwrites its own points. Time comes from the payload (<c>ts</c>; <c>at</c> for events), never the clock.
/// </summary>
public static class ContractPointMapper
{
    /// <summary>The schema major version this mapping understands.</summary>
    public const string SupportedVersion = PayloadSchemas.Major;

    private const long NanosPerMs = 1_000_000;

    /// <summary>Measurement of the completed orders' records (one point per order, the newest revision).</summary>
    public const string OrdersMeasurement = "orders";

    private const string OrderCompletedType = "orderCompleted";
    private const string OrderRevisedType = "orderRevised";

    private static readonly IReadOnlyDictionary<string, string> SchemaIds = PayloadSchemas.IdByTopicKind;

    // Members of array elements that identify the element: tags, not fields (maintenance items, raised alarms, a
    // shift's per-product counts, so a dashboard groups them by product).
    private static readonly string[] ElementNames = ["item", "alarm", "signal", "product"];

    // Members that are the envelope, or repeat a tag the topic already gives.
    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal)
    {
        "schema", "ts", "sourceTs", "machine", "signal", "gatewayId",
    };

    /// <summary>Maps a message held in one buffer.</summary>
    public static MapStatus Map(string topic, ReadOnlyMemory<byte> payload, List<InfluxPoint> points, out string? error) =>
        Map(topic, new ReadOnlySequence<byte>(payload), points, out error);

    /// <summary>
    /// Maps the message into <paramref name="points"/>. On <see cref="MapStatus.Invalid"/>, <paramref name="error"/>
    /// names the topic and what is wrong, and nothing is added.
    /// </summary>
    public static MapStatus Map(string topic, ReadOnlySequence<byte> payload, List<InfluxPoint> points, out string? error)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(points);
        error = null;
        if (ContractTopic.IsCommand(topic))
        {
            return MapStatus.Ignored;
        }

        var parsed = ContractTopic.TryParse(topic, out var topicError);
        if (parsed is null)
        {
            error = topicError;
            return MapStatus.Invalid;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload);
        }
        catch (JsonException ex)
        {
            error = $"payload on '{topic}' is not valid JSON: {ex.Message}";
            return MapStatus.Invalid;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = $"payload on '{topic}' is a JSON {root.ValueKind}, expected an object";
                return MapStatus.Invalid;
            }

            if (!CheckSchema(root, parsed.Kind, topic, out error) || !TryTimestamp(root, parsed.Kind, topic, out var timestampNs, out error))
            {
                return MapStatus.Invalid;
            }

            var tags = BaseTags(parsed);
            // An event names the signal involved in its payload; a condition topic already carries it.
            if (parsed.Signal is null && root.TryGetProperty("signal", out var signal) && signal.ValueKind == JsonValueKind.String
                && signal.GetString() is { Length: > 0 } signalName)
            {
                tags.Add(new("signal", signalName));
            }

            var reason = ReasonOf(root);
            if (reason is not null)
            {
                tags.Add(new("reason", reason));
            }

            // The order topic and the order events carry the order's product: a tag, so dashboards group by product.
            var order = root.TryGetProperty("order", out var o) && o.ValueKind == JsonValueKind.Object ? o : (JsonElement?)null;
            var product = order is { } withProduct && withProduct.TryGetProperty("product", out var p) && p.ValueKind == JsonValueKind.String
                && p.GetString() is { Length: > 0 } productId ? productId : null;
            if (product is not null)
            {
                tags.Add(new("product", product));
            }

            tags.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
            var fields = new List<KeyValuePair<string, InfluxFieldValue>>();
            var children = new List<InfluxPoint>();
            try
            {
                foreach (var member in root.EnumerateObject())
                {
                    if (Skipped.Contains(member.Name) || member.Name is "reasonCode" or "reason")
                    {
                        continue;
                    }

                    Flatten(member.Name, member.Value, fields, children, parsed, timestampNs);
                }
            }
            catch (FormatException ex)
            {
                error = $"payload on '{topic}': {ex.Message}";
                return MapStatus.Invalid;
            }

            if (fields.Count == 0)
            {
                error = $"payload on '{topic}' has no numeric, boolean or text values to store";
                return MapStatus.Invalid;
            }

            InfluxPoint? record = null;
            if (order is { } completed && IsOrderRecord(root))
            {
                record = OrderRecordPoint(parsed, completed, product, topic, out error);
                if (record is null)
                {
                    return MapStatus.Invalid;
                }
            }

            points.Add(new InfluxPoint(parsed.Kind, tags, fields, timestampNs));
            points.AddRange(children);
            if (record is not null)
            {
                points.Add(record);
            }

            return MapStatus.Mapped;
        }
    }

    /// <summary>An <c>orderCompleted</c> or <c>orderRevised</c> event: the order's final record (or a revision of it).</summary>
    private static bool IsOrderRecord(JsonElement root) =>
        root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
        && type.GetString() is OrderCompletedType or OrderRevisedType;

    /// <summary>
    /// One point per completed order in <see cref="OrdersMeasurement"/>, stamped with the order's release
    /// (<c>order.start</c>) and tagged with its product: a revision after late data has the same series and time, so it
    /// overwrites the record it revises, and a count of the points is a count of orders. Arrays (the downtime by reason)
    /// stay on the event's own points.
    /// </summary>
    private static InfluxPoint? OrderRecordPoint(ContractTopic topic, JsonElement order, string? product, string topicName, out string? error)
    {
        error = null;
        if (!order.TryGetProperty("start", out var start) || start.ValueKind != JsonValueKind.String
            || !DateTimeOffset.TryParse(start.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var released))
        {
            error = $"order event on '{topicName}' has no RFC 3339 'order.start' (the release time that keys the order's record)";
            return null;
        }

        var tags = BaseTags(topic);
        if (product is not null)
        {
            tags.Add(new("product", product));
        }

        tags.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var fields = new List<KeyValuePair<string, InfluxFieldValue>>();
        var ignored = new List<InfluxPoint>();
        var timestampNs = released.ToUnixTimeMilliseconds() * NanosPerMs;
        foreach (var member in order.EnumerateObject())
        {
            // product is the tag; machine would shadow the machine tag (a line order's figures are its output machine's).
            if (member.Name is "product" or "machine" || member.Value.ValueKind == JsonValueKind.Array)
            {
                continue;
            }

            Flatten(member.Name, member.Value, fields, ignored, topic, timestampNs);
        }

        return new InfluxPoint(OrdersMeasurement, tags, fields, timestampNs);
    }

    private static List<KeyValuePair<string, string>> BaseTags(ContractTopic topic)
    {
        var tags = new List<KeyValuePair<string, string>>(7) { new("site", topic.Site) };
        if (topic.Area is not null)
        {
            tags.Add(new("area", topic.Area));
        }

        if (topic.Line is not null)
        {
            tags.Add(new("line", topic.Line));
        }

        if (topic.Machine is not null)
        {
            tags.Add(new("machine", topic.Machine));
        }

        if (topic.Signal is not null)
        {
            tags.Add(new("signal", topic.Signal));
        }

        if (topic.Gateway is not null)
        {
            tags.Add(new("gateway", topic.Gateway));
        }

        return tags;
    }

    private static string? ReasonOf(JsonElement element)
    {
        if (element.TryGetProperty("reasonCode", out var code) && code.ValueKind == JsonValueKind.String)
        {
            return code.GetString();
        }

        if (element.TryGetProperty("reason", out var reason))
        {
            if (reason.ValueKind == JsonValueKind.String)
            {
                return reason.GetString();
            }

            if (reason.ValueKind == JsonValueKind.Object && reason.TryGetProperty("code", out var nested) && nested.ValueKind == JsonValueKind.String)
            {
                return nested.GetString();
            }
        }

        return null;
    }

    private static bool CheckSchema(JsonElement root, string kind, string topic, out string? error)
    {
        error = null;
        if (!root.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.String)
        {
            error = $"payload on '{topic}' has no 'schema' string";
            return false;
        }

        var value = schema.GetString() ?? string.Empty;
        var slash = value.LastIndexOf('/');
        var id = slash < 0 ? value : value[..slash];
        var version = slash < 0 ? string.Empty : value[(slash + 1)..];
        var expected = SchemaIds[kind];
        if (!string.Equals(id, expected, StringComparison.Ordinal))
        {
            error = $"payload on '{topic}' has schema '{value}', but a '{kind}' topic carries '{expected}/{SupportedVersion}'";
            return false;
        }

        var major = version.Split('.')[0];
        if (!string.Equals(major, SupportedVersion, StringComparison.Ordinal))
        {
            error = $"payload on '{topic}' has unknown schema version '{value}' (this historian understands {expected}/{SupportedVersion})";
            return false;
        }

        return true;
    }

    private static bool TryTimestamp(JsonElement root, string kind, string topic, out long timestampNs, out string? error)
    {
        timestampNs = 0;
        error = null;
        // Events: when it happened; snapshots: when the gateway computed them (sourceTs would give two
        // snapshots of a stopped machine the same time, and the second would erase the first).
        var key = kind == "events" && root.TryGetProperty("at", out _) ? "at" : "ts";
        if (!root.TryGetProperty(key, out var element) || element.ValueKind != JsonValueKind.String)
        {
            error = $"payload on '{topic}' has no '{key}' timestamp";
            return false;
        }

        if (!DateTimeOffset.TryParse(element.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at))
        {
            error = $"payload on '{topic}' has '{key}' = '{element.GetString()}', not an RFC 3339 time";
            return false;
        }

        timestampNs = at.ToUnixTimeMilliseconds() * NanosPerMs;
        if (kind == "events")
        {
            // Two events of one machine in the same millisecond must not overwrite each other: the topic's seq
            // (unique, and the same on redelivery) picks the nanoseconds.
            if (!root.TryGetProperty("seq", out var seq) || seq.ValueKind != JsonValueKind.Number || !seq.TryGetInt64(out var seqValue))
            {
                error = $"event on '{topic}' has no integer 'seq'";
                return false;
            }

            timestampNs += seqValue % NanosPerMs;
        }

        return true;
    }

    private static void Flatten(string name, JsonElement value, List<KeyValuePair<string, InfluxFieldValue>> fields,
        List<InfluxPoint> children, ContractTopic topic, long timestampNs)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                // A literal beyond double's range (1e400) is no value a field can hold: the message is refused, not the historian.
                if (!value.TryGetDouble(out var number) || !double.IsFinite(number))
                {
                    throw new FormatException($"'{name}' = {value.GetRawText()} is outside the range of a float field");
                }

                fields.Add(new(name, InfluxFieldValue.FromDouble(number)));
                break;
            case JsonValueKind.True:
            case JsonValueKind.False:
                fields.Add(new(name, InfluxFieldValue.FromBoolean(value.GetBoolean())));
                break;
            case JsonValueKind.String:
                fields.Add(new(name, InfluxFieldValue.FromString(value.GetString() ?? string.Empty)));
                break;
            case JsonValueKind.Object:
                foreach (var member in value.EnumerateObject())
                {
                    Flatten(name + "_" + member.Name, member.Value, fields, children, topic, timestampNs);
                }

                break;
            case JsonValueKind.Array:
                FlattenArray(name, value, fields, children, topic, timestampNs);
                break;
            default:
                // null: an absent value, not a zero.
                break;
        }
    }

    /// <summary>
    /// Arrays of numbers become fields <c>name_0</c>, <c>name_1</c>, …; arrays of objects (the downtime Pareto)
    /// become one point each in measurement <c>{kind}_{name}</c>, tagged with the element's reason code.
    /// </summary>
    private static void FlattenArray(string name, JsonElement array, List<KeyValuePair<string, InfluxFieldValue>> fields,
        List<InfluxPoint> children, ContractTopic topic, long timestampNs)
    {
        var index = 0;
        var leaf = name[(name.LastIndexOf('_') + 1)..];
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                Flatten(name + "_" + index.ToString(CultureInfo.InvariantCulture), item, fields, children, topic, timestampNs);
                index++;
                continue;
            }

            var tags = BaseTags(topic);
            var code = item.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : ReasonOf(item);
            // Elements that name themselves (a maintenance item, a raised alarm and its signal) are tagged by name.
            var named = false;
            foreach (var key in ElementNames)
            {
                if (item.TryGetProperty(key, out var n) && n.ValueKind == JsonValueKind.String && n.GetString() is { Length: > 0 } value
                    && !tags.Exists(t => t.Key == key))
                {
                    tags.Add(new(key, value));
                    named = true;
                }
            }

            if (code is not null)
            {
                tags.Add(new("reason", code));
            }
            else if (!named)
            {
                tags.Add(new("item", index.ToString(CultureInfo.InvariantCulture)));
            }

            tags.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
            var itemFields = new List<KeyValuePair<string, InfluxFieldValue>>();
            foreach (var member in item.EnumerateObject())
            {
                if (member.Name is "code" or "reasonCode" or "reason" || (ElementNames.Contains(member.Name) && tags.Exists(t => t.Key == member.Name)))
                {
                    continue;
                }

                Flatten(member.Name, member.Value, itemFields, children, topic, timestampNs);
            }

            if (itemFields.Count > 0)
            {
                children.Add(new InfluxPoint(topic.Kind + "_" + leaf, tags, itemFields, timestampNs));
            }

            index++;
        }
    }
}
