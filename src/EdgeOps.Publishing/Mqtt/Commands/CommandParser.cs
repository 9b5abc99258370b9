using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeOps.Contract;
using EdgeOps.Core.Orders;

namespace EdgeOps.Publishing.Mqtt.Commands;

/// <summary>
/// Turns a command payload into a <see cref="MachineCommand"/>, or an error naming the field and what is wrong.
/// Strict on purpose: an unknown field is a typo on the sender's side, and a command half understood must not apply.
/// </summary>
public static partial class CommandParser
{
    /// <summary>Largest payload accepted.</summary>
    public const int MaxPayloadBytes = 16 * 1024;

    private static readonly Dictionary<string, string[]> Fields = new(StringComparer.Ordinal)
    {
        [CommandVerb.AssignReason] = ["reasonCode", "stopId", "stopStartedAt", "comment"],
        [CommandVerb.ResetMaintenance] = ["item"],
        [CommandVerb.PlannedStop] = ["active", "reasonCode"],
        [CommandVerb.StartOrder] = ["orderId", "product", "quantity", "due"],
        [CommandVerb.CompleteOrder] = ["orderId"],
        [CommandVerb.PauseOrder] = ["orderId"],
        [CommandVerb.ResumeOrder] = ["orderId"],
    };

    private static readonly string[] CommonFields = ["schema", "requestId", "operator", "ts", "expiresAt"];

    /// <summary>Parses and validates. <paramref name="requestId"/> is what could be read of the request id, even on error.</summary>
    public static MachineCommand? TryParse(CommandTopic topic, ReadOnlySpan<byte> payload, DateTimeOffset receivedAt,
        out string? error, out string? requestId)
    {
        ArgumentNullException.ThrowIfNull(topic);
        requestId = null;
        if (!Fields.TryGetValue(topic.Verb, out var verbFields))
        {
            error = $"unknown verb '{topic.Verb}'; known: {string.Join(", ", Fields.Keys)}";
            return null;
        }

        if (payload.Length > MaxPayloadBytes)
        {
            error = $"payload is {payload.Length} bytes; the limit is {MaxPayloadBytes}";
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload.ToArray());
        }
        catch (JsonException ex)
        {
            error = $"payload is not valid JSON: {ex.Message}";
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = $"payload must be a JSON object, found {root.ValueKind}";
                return null;
            }

            if (root.TryGetProperty("requestId", out var rid) && rid.ValueKind == JsonValueKind.String)
            {
                requestId = rid.GetString();
            }

            foreach (var property in root.EnumerateObject())
            {
                if (!CommonFields.Contains(property.Name, StringComparer.Ordinal) && !verbFields.Contains(property.Name, StringComparer.Ordinal))
                {
                    error = $"unknown field '{property.Name}' for '{topic.Verb}'; allowed: {string.Join(", ", CommonFields.Concat(verbFields))}";
                    return null;
                }
            }

            var reader = new FieldReader(root);
            var common = (Request: reader.Text("requestId", required: false, maxLength: 128),
                Operator: reader.Text("operator", required: false, maxLength: 128));
            reader.Text("schema", required: false, maxLength: 64);
            var sentAt = reader.Time("ts");
            var expiresAt = reader.Time("expiresAt");
            MachineCommand? command = topic.Verb switch
            {
                CommandVerb.AssignReason => new AssignReasonCommand
                {
                    Machine = topic.Machine,
                    ReceivedAt = receivedAt,
                    RequestId = common.Request,
                    Operator = common.Operator,
                    ReasonCode = reader.Text("reasonCode", required: true, maxLength: 64) ?? string.Empty,
                    StopStartedAt = reader.Time("stopStartedAt"),
                    StopId = reader.Integer("stopId"),
                    Comment = reader.Text("comment", required: false, maxLength: 500),
                },
                CommandVerb.ResetMaintenance => new ResetMaintenanceCommand
                {
                    Machine = topic.Machine,
                    ReceivedAt = receivedAt,
                    RequestId = common.Request,
                    Operator = common.Operator,
                    Item = reader.Text("item", required: true, maxLength: 64) ?? string.Empty,
                },
                CommandVerb.PlannedStop => ParsePlannedStop(topic, receivedAt, reader, common.Request, common.Operator),
                CommandVerb.StartOrder => ParseStartOrder(topic, receivedAt, reader, common.Request, common.Operator),
                CommandVerb.CompleteOrder or CommandVerb.PauseOrder or CommandVerb.ResumeOrder =>
                    ParseOrderChange(topic, receivedAt, reader, common.Request, common.Operator),
                _ => null,
            };

            error = reader.Error;
            return error is null && command is not null ? command with { SentAt = sentAt, ExpiresAt = expiresAt } : null;
        }
    }

    private static PlannedStopCommand ParsePlannedStop(CommandTopic topic, DateTimeOffset receivedAt, FieldReader reader,
        string? requestId, string? operatorName)
    {
        var active = reader.Bool("active");
        var reason = reader.Text("reasonCode", required: false, maxLength: 64);
        return new PlannedStopCommand
        {
            Machine = topic.Machine,
            ReceivedAt = receivedAt,
            RequestId = requestId,
            Operator = operatorName,
            Active = active ?? false,
            ReasonCode = reason,
        };
    }

    private static StartOrderCommand ParseStartOrder(CommandTopic topic, DateTimeOffset receivedAt, FieldReader reader,
        string? requestId, string? operatorName)
    {
        var orderId = reader.OrderId(required: true);
        var product = reader.Text("product", required: true, maxLength: MaxProductLength);
        var quantity = reader.PositiveInteger("quantity");
        var due = reader.Time("due");
        return new StartOrderCommand
        {
            Machine = topic.Machine,
            ReceivedAt = receivedAt,
            RequestId = requestId,
            Operator = operatorName,
            OrderId = orderId ?? string.Empty,
            Product = product ?? string.Empty,
            Quantity = quantity ?? 0,
            Due = due,
        };
    }

    private static OrderChangeCommand ParseOrderChange(CommandTopic topic, DateTimeOffset receivedAt, FieldReader reader,
        string? requestId, string? operatorName) => new()
        {
            Machine = topic.Machine,
            ReceivedAt = receivedAt,
            RequestId = requestId,
            Operator = operatorName,
            Action = topic.Verb,
            OrderId = reader.OrderId(required: false),
        };

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();

    /// <summary>Longest product id accepted (the line file's ids are far shorter; the engine names the configured ones).</summary>
    private const int MaxProductLength = 64;

    /// <summary>Reads fields, keeping the first error.</summary>
    private sealed class FieldReader(JsonElement root)
    {
        public string? Error { get; private set; }

        public string? Text(string name, bool required, int maxLength)
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required)
                {
                    Fail($"field '{name}' is required (a string)");
                }

                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                Fail($"field '{name}' must be a string, found {value.ValueKind}");
                return null;
            }

            var text = value.GetString()!;
            if (required && text.Trim().Length == 0)
            {
                Fail($"field '{name}' is empty");
            }
            else if (text.Length > maxLength)
            {
                Fail($"field '{name}' is {text.Length} characters; at most {maxLength}");
            }

            return text;
        }

        public bool? Bool(string name)
        {
            if (!root.TryGetProperty(name, out var value))
            {
                Fail($"field '{name}' is required (true or false)");
                return null;
            }

            if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                Fail($"field '{name}' must be true or false, found {value.ValueKind}");
                return null;
            }

            return value.GetBoolean();
        }

        public long? Integer(string name)
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= 0)
            {
                return number;
            }

            Fail($"field '{name}' must be a non-negative integer, found {value.GetRawText()}");
            return null;
        }

        /// <summary>
        /// <c>orderId</c>: at most <see cref="OrderLimits.MaxOrderIdLength"/> characters and no control characters (a
        /// newline or NUL in an id breaks every report, log and label it lands in).
        /// </summary>
        public string? OrderId(bool required)
        {
            var text = Text(OrderLimits.OrderIdField, required, OrderLimits.MaxOrderIdLength);
            if (text is not null && text.Length <= OrderLimits.MaxOrderIdLength)
            {
                var at = text.AsSpan().IndexOfAnyInRange('\0', '\x1f');
                at = at >= 0 ? at : text.IndexOf('\x7f', StringComparison.Ordinal);
                if (at >= 0)
                {
                    Fail(string.Create(CultureInfo.InvariantCulture,
                        $"field 'orderId' contains a control character (U+{(int)text[at]:X4} at position {at + 1})"));
                }
                else if (!required && text.Trim().Length == 0)
                {
                    Fail("field 'orderId' is empty; leave it out to mean the current order");
                }
            }

            return text;
        }

        /// <summary>A whole number above zero (units ordered).</summary>
        public long? PositiveInteger(string name)
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                Fail($"field '{name}' is required (a whole number greater than 0)");
                return null;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number > 0)
            {
                return number;
            }

            Fail($"field '{name}' must be a whole number greater than 0, found {value.GetRawText()}");
            return null;
        }

        public DateTimeOffset? Time(string name)
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.String && Rfc3339().IsMatch(value.GetString()!)
                && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            {
                return time;
            }

            Fail($"field '{name}' must be an RFC 3339 time with an offset, e.g. 2026-11-26T06:30:00Z; found {value.GetRawText()}");
            return null;
        }

        private void Fail(string message) => Error ??= message;
    }
}
