using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EdgeOps.Contract.Sparkplug;

/// <summary>
/// A Sparkplug B payload as readable JSON (for <c>edgeops mqtt tail</c> and people reading a broker): timestamp, seq and
/// every metric with name, alias, data type, value, flags and properties. Values are read as the data type says.
/// </summary>
public static class SparkplugJson
{
    /// <summary>True for a topic whose payload is Sparkplug B protobuf (every <c>spBv1.0/</c> topic but the JSON STATE).</summary>
    public static bool IsProtobufTopic(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        return topic.StartsWith(SparkplugTopics.Namespace + "/", StringComparison.Ordinal)
            && !topic.StartsWith(SparkplugTopics.Namespace + "/STATE/", StringComparison.Ordinal);
    }

    /// <summary>Decodes and renders <paramref name="payload"/>; a payload that does not decode gives <c>{"error": "..."}</c>.</summary>
    public static string Render(ReadOnlySpan<byte> payload)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            SparkplugPayload decoded;
            try
            {
                decoded = SparkplugCodec.Decode(payload);
            }
            catch (FormatException ex)
            {
                json.WriteStartObject();
                json.WriteString("error", ex.Message);
                json.WriteEndObject();
                json.Flush();
                return Encoding.UTF8.GetString(buffer.WrittenSpan);
            }

            json.WriteStartObject();
            WriteOptional(json, "timestamp", decoded.Timestamp);
            WriteOptional(json, "seq", decoded.Seq);
            if (decoded.Uuid is { } uuid)
            {
                json.WriteString("uuid", uuid);
            }

            json.WriteStartArray("metrics");
            foreach (var metric in decoded.Metrics)
            {
                json.WriteStartObject();
                if (metric.Name is { } name)
                {
                    json.WriteString("name", name);
                }

                WriteOptional(json, "alias", metric.Alias);
                WriteOptional(json, "timestamp", metric.Timestamp);
                if (metric.DataType != SparkplugDataType.Unknown)
                {
                    json.WriteString("datatype", metric.DataType.ToString());
                }

                json.WritePropertyName("value");
                WriteValue(json, metric.IsNull ? SparkplugValue.None : metric.Value, metric.DataType);
                if (metric.IsHistorical)
                {
                    json.WriteBoolean("isHistorical", true);
                }

                if (metric.IsTransient)
                {
                    json.WriteBoolean("isTransient", true);
                }

                if (metric.Properties is { Count: > 0 } properties)
                {
                    json.WriteStartObject("properties");
                    foreach (var property in properties)
                    {
                        json.WritePropertyName(property.Key);
                        WriteValue(json, property.Value, property.Type);
                    }

                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, ulong? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
    }

    private static void WriteValue(Utf8JsonWriter json, SparkplugValue value, SparkplugDataType type)
    {
        switch (value.ToObject(type))
        {
            case null:
                json.WriteNullValue();
                break;
            case long l:
                json.WriteNumberValue(l);
                break;
            case ulong u:
                json.WriteNumberValue(u);
                break;
            case double d when double.IsFinite(d):
                json.WriteNumberValue(d);
                break;
            case double d:
                json.WriteStringValue(d.ToString(CultureInfo.InvariantCulture));
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case DateTimeOffset t:
                json.WriteStringValue(t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
                break;
            case byte[] bytes:
                json.WriteBase64StringValue(bytes);
                break;
            case string s:
                json.WriteStringValue(s);
                break;
            default:
                json.WriteNullValue();
                break;
        }
    }
}
