using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeOps.Contract.Payloads;

/// <summary>Source-generated serialization of every payload: camelCase, nulls left out, times as RFC 3339 UTC with ms.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(UtcMillisecondsConverter)])]
[JsonSerializable(typeof(StatePayload))]
[JsonSerializable(typeof(CountsPayload))]
[JsonSerializable(typeof(KpiPayload))]
[JsonSerializable(typeof(ConditionPayload))]
[JsonSerializable(typeof(AlarmsPayload))]
[JsonSerializable(typeof(MaintenancePayload))]
[JsonSerializable(typeof(EventPayload))]
[JsonSerializable(typeof(ShiftPayload))]
[JsonSerializable(typeof(GatewayStatusPayload))]
[JsonSerializable(typeof(CommandReplyPayload))]
[JsonSerializable(typeof(OrderPayload))]
public sealed partial class PayloadJsonContext : JsonSerializerContext;

/// <summary>Writes <c>2026-11-26T07:04:39.123Z</c>; reads any RFC 3339 time.</summary>
public sealed class UtcMillisecondsConverter : JsonConverter<DateTimeOffset>
{
    /// <inheritdoc />
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString() ?? throw new JsonException("Expected an RFC 3339 time."), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal);

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(PayloadFormat.Time(value));
    }
}
