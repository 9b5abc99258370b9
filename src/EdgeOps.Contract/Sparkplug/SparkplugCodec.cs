using Google.Protobuf;

namespace EdgeOps.Contract.Sparkplug;

/// <summary>
/// Encodes and decodes Sparkplug B payloads (sparkplug_b.proto beside this file) by hand with Google.Protobuf's coded
/// streams: sizes are computed first, so an encode allocates its output array and nothing per metric; a decode reads only
/// the fields the gateway uses and skips the rest (metadata, data sets, templates, extensions).
/// </summary>
public static class SparkplugCodec
{
    // Field numbers of sparkplug_b.proto, named once.
    private const int PayloadTimestamp = 1, PayloadMetrics = 2, PayloadSeq = 3, PayloadUuid = 4, PayloadBody = 5;
    private const int MetricName = 1, MetricAlias = 2, MetricTimestamp = 3, MetricDataType = 4, MetricHistorical = 5,
        MetricTransient = 6, MetricNull = 7, MetricProperties = 9, MetricInt = 10, MetricLong = 11, MetricFloat = 12,
        MetricDouble = 13, MetricBoolean = 14, MetricString = 15, MetricBytes = 16, MetricDataSet = 17, MetricTemplate = 18,
        MetricExtension = 19;
    private const int SetKeys = 1, SetValues = 2;
    private const int PropertyType = 1, PropertyNull = 2, PropertyInt = 3, PropertyLong = 4, PropertyFloat = 5,
        PropertyDouble = 6, PropertyBoolean = 7, PropertyString = 8;

    /// <summary>Encodes <paramref name="payload"/> (with its <see cref="SparkplugPayload.Seq"/> when set).</summary>
    public static byte[] Encode(SparkplugPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var size = PayloadSize(payload);
        var buffer = new byte[size];
        var output = new CodedOutputStream(buffer);
        WritePayload(output, payload);
        output.CheckNoSpaceLeft();
        return buffer;
    }

    /// <summary>The size of <paramref name="payload"/> encoded, in bytes (what <see cref="Encode(SparkplugPayload)"/> returns).</summary>
    public static int Size(SparkplugPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return PayloadSize(payload);
    }

    /// <summary>
    /// Encodes <paramref name="payload"/> into the first <paramref name="size"/> bytes of <paramref name="destination"/>
    /// (<paramref name="size"/> from <see cref="Size"/>) and leaves the rest of the array to the caller: a message stored
    /// with a header or trailer of its own is one array, not an encoded payload copied into a second.
    /// </summary>
    public static void Encode(SparkplugPayload payload, int size, byte[] destination)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, destination.Length);
        var output = new CodedOutputStream(destination);
        WritePayload(output, payload);
        if (destination.Length - output.SpaceLeft != size)
        {
            throw new InvalidOperationException($"Sparkplug payload encoded to {destination.Length - output.SpaceLeft} bytes, its size said {size}.");
        }
    }

    /// <summary>
    /// <paramref name="payload"/> with <c>seq</c> = <paramref name="seq"/> appended. Protobuf readers take fields in any
    /// order (the last value of a scalar wins), so a stored payload without a seq gets the one the session assigns at
    /// send time without being decoded and encoded again.
    /// </summary>
    public static byte[] WithSeq(ReadOnlySpan<byte> payload, byte seq)
    {
        var result = new byte[payload.Length + (seq < 0x80 ? 2 : 3)];
        payload.CopyTo(result);
        WriteSeq(result.AsSpan(payload.Length), seq);
        return result;
    }

    /// <summary>
    /// Writes the <c>seq</c> field (tag and varint, 2 or 3 bytes) into <paramref name="destination"/>, to follow an encoded
    /// payload; returns how many bytes it wrote.
    /// </summary>
    public static int WriteSeq(Span<byte> destination, byte seq)
    {
        destination[0] = (PayloadSeq << 3) | (byte)WireFormat.WireType.Varint;
        if (seq < 0x80)
        {
            destination[1] = seq;
            return 2;
        }

        destination[1] = (byte)(seq | 0x80);
        destination[2] = 1;
        return 3;
    }

    /// <summary>
    /// Decodes a payload. Throws <see cref="FormatException"/> naming what is wrong when the bytes are not a Sparkplug B
    /// payload (not protobuf, truncated, a field with the wrong wire type).
    /// </summary>
    public static SparkplugPayload Decode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return ReadPayload(new CodedInputStream(bytes.ToArray()));
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new FormatException($"not a Sparkplug B payload ({bytes.Length} bytes): {ex.Message}", ex);
        }
    }

    private static int PayloadSize(SparkplugPayload p)
    {
        var size = 0;
        if (p.Timestamp is { } ts)
        {
            size += 1 + CodedOutputStream.ComputeUInt64Size(ts);
        }

        foreach (var metric in p.Metrics)
        {
            size += 1 + Delimited(MetricSize(metric));
        }

        if (p.Seq is { } seq)
        {
            size += 1 + CodedOutputStream.ComputeUInt64Size(seq);
        }

        if (p.Uuid is { } uuid)
        {
            size += 1 + CodedOutputStream.ComputeStringSize(uuid);
        }

        if (p.Body is { } body)
        {
            size += 1 + Delimited(body.Length);
        }

        return size;
    }

    private static void WritePayload(CodedOutputStream o, SparkplugPayload p)
    {
        if (p.Timestamp is { } ts)
        {
            o.WriteTag(PayloadTimestamp, WireFormat.WireType.Varint);
            o.WriteUInt64(ts);
        }

        foreach (var metric in p.Metrics)
        {
            o.WriteTag(PayloadMetrics, WireFormat.WireType.LengthDelimited);
            o.WriteLength(MetricSize(metric));
            WriteMetric(o, metric);
        }

        if (p.Seq is { } seq)
        {
            o.WriteTag(PayloadSeq, WireFormat.WireType.Varint);
            o.WriteUInt64(seq);
        }

        if (p.Uuid is { } uuid)
        {
            o.WriteTag(PayloadUuid, WireFormat.WireType.LengthDelimited);
            o.WriteString(uuid);
        }

        if (p.Body is { } body)
        {
            o.WriteTag(PayloadBody, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(ByteString.CopyFrom(body));
        }
    }

    private static int Delimited(int length) => CodedOutputStream.ComputeLengthSize(length) + length;

    private static int MetricSize(SparkplugMetric m)
    {
        var size = 0;
        if (m.Name is { } name)
        {
            size += 1 + CodedOutputStream.ComputeStringSize(name);
        }

        if (m.Alias is { } alias)
        {
            size += 1 + CodedOutputStream.ComputeUInt64Size(alias);
        }

        if (m.Timestamp is { } ts)
        {
            size += 1 + CodedOutputStream.ComputeUInt64Size(ts);
        }

        if (m.DataType != SparkplugDataType.Unknown)
        {
            size += 1 + CodedOutputStream.ComputeUInt32Size((uint)m.DataType);
        }

        size += (m.IsHistorical ? 2 : 0) + (m.IsTransient ? 2 : 0) + (m.IsNull ? 2 : 0);
        if (m.Properties is { Count: > 0 } properties)
        {
            size += 1 + Delimited(PropertySetSize(properties));
        }

        if (!m.IsNull)
        {
            size += ValueSize(m.Value, bytesTagSize: 2);
        }

        return size;
    }

    private static void WriteMetric(CodedOutputStream o, SparkplugMetric m)
    {
        if (m.Name is { } name)
        {
            o.WriteTag(MetricName, WireFormat.WireType.LengthDelimited);
            o.WriteString(name);
        }

        if (m.Alias is { } alias)
        {
            o.WriteTag(MetricAlias, WireFormat.WireType.Varint);
            o.WriteUInt64(alias);
        }

        if (m.Timestamp is { } ts)
        {
            o.WriteTag(MetricTimestamp, WireFormat.WireType.Varint);
            o.WriteUInt64(ts);
        }

        if (m.DataType != SparkplugDataType.Unknown)
        {
            o.WriteTag(MetricDataType, WireFormat.WireType.Varint);
            o.WriteUInt32((uint)m.DataType);
        }

        WriteFlag(o, MetricHistorical, m.IsHistorical);
        WriteFlag(o, MetricTransient, m.IsTransient);
        WriteFlag(o, MetricNull, m.IsNull);
        if (m.Properties is { Count: > 0 } properties)
        {
            o.WriteTag(MetricProperties, WireFormat.WireType.LengthDelimited);
            o.WriteLength(PropertySetSize(properties));
            WritePropertySet(o, properties);
        }

        if (!m.IsNull)
        {
            WriteValue(o, m.Value, MetricInt);
        }
    }

    private static void WriteFlag(CodedOutputStream o, int field, bool set)
    {
        if (set)
        {
            o.WriteTag(field, WireFormat.WireType.Varint);
            o.WriteBool(true);
        }
    }

    /// <summary>Size of a value with its tag. Metric and property values share the layout from their int field on.</summary>
    private static int ValueSize(SparkplugValue v, int bytesTagSize) => v.Case switch
    {
        SparkplugValueCase.Int => 1 + CodedOutputStream.ComputeUInt32Size((uint)v.Bits),
        SparkplugValueCase.Long => 1 + CodedOutputStream.ComputeUInt64Size(v.Bits),
        SparkplugValueCase.Float => 1 + 4,
        SparkplugValueCase.Double => 1 + 8,
        SparkplugValueCase.Boolean => 1 + 1,
        SparkplugValueCase.String => 1 + CodedOutputStream.ComputeStringSize(v.Text!),
        SparkplugValueCase.Bytes => bytesTagSize + Delimited(v.BytesValue!.Length),
        _ => 0,
    };

    /// <summary>Writes a value; <paramref name="intField"/> is the number of the int field, the others follow it in order.</summary>
    private static void WriteValue(CodedOutputStream o, SparkplugValue v, int intField)
    {
        switch (v.Case)
        {
            case SparkplugValueCase.Int:
                o.WriteTag(intField, WireFormat.WireType.Varint);
                o.WriteUInt32((uint)v.Bits);
                break;
            case SparkplugValueCase.Long:
                o.WriteTag(intField + 1, WireFormat.WireType.Varint);
                o.WriteUInt64(v.Bits);
                break;
            case SparkplugValueCase.Float:
                o.WriteTag(intField + 2, WireFormat.WireType.Fixed32);
                o.WriteFloat((float)v.Number);
                break;
            case SparkplugValueCase.Double:
                o.WriteTag(intField + 3, WireFormat.WireType.Fixed64);
                o.WriteDouble(v.Number);
                break;
            case SparkplugValueCase.Boolean:
                o.WriteTag(intField + 4, WireFormat.WireType.Varint);
                o.WriteBool(v.Bits != 0);
                break;
            case SparkplugValueCase.String:
                o.WriteTag(intField + 5, WireFormat.WireType.LengthDelimited);
                o.WriteString(v.Text!);
                break;
            case SparkplugValueCase.Bytes when intField == MetricInt:
                o.WriteTag(MetricBytes, WireFormat.WireType.LengthDelimited);
                o.WriteBytes(ByteString.CopyFrom(v.BytesValue!));
                break;
        }
    }

    private static int PropertySetSize(IReadOnlyList<SparkplugProperty> properties)
    {
        var size = 0;
        foreach (var p in properties)
        {
            size += 1 + CodedOutputStream.ComputeStringSize(p.Key);
            size += 1 + Delimited(PropertyValueSize(p));
        }

        return size;
    }

    private static int PropertyValueSize(SparkplugProperty p) =>
        1 + CodedOutputStream.ComputeUInt32Size((uint)p.Type)
        + (p.Value.Case == SparkplugValueCase.None ? 2 : ValueSize(p.Value, bytesTagSize: 0));

    private static void WritePropertySet(CodedOutputStream o, IReadOnlyList<SparkplugProperty> properties)
    {
        foreach (var p in properties)
        {
            o.WriteTag(SetKeys, WireFormat.WireType.LengthDelimited);
            o.WriteString(p.Key);
        }

        foreach (var p in properties)
        {
            o.WriteTag(SetValues, WireFormat.WireType.LengthDelimited);
            o.WriteLength(PropertyValueSize(p));
            o.WriteTag(PropertyType, WireFormat.WireType.Varint);
            o.WriteUInt32((uint)p.Type);
            if (p.Value.Case == SparkplugValueCase.None)
            {
                WriteFlag(o, PropertyNull, true);
            }
            else
            {
                WriteValue(o, p.Value, PropertyInt);
            }
        }
    }

    private static SparkplugPayload ReadPayload(CodedInputStream input)
    {
        ulong? timestamp = null, seq = null;
        string? uuid = null;
        byte[]? body = null;
        var metrics = new List<SparkplugMetric>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case PayloadTimestamp:
                    Expect(tag, WireFormat.WireType.Varint, "Payload.timestamp");
                    timestamp = input.ReadUInt64();
                    break;
                case PayloadMetrics:
                    Expect(tag, WireFormat.WireType.LengthDelimited, "Payload.metrics");
                    metrics.Add(ReadMetric(input.ReadBytes().CreateCodedInput()));
                    break;
                case PayloadSeq:
                    Expect(tag, WireFormat.WireType.Varint, "Payload.seq");
                    seq = input.ReadUInt64();
                    break;
                case PayloadUuid:
                    Expect(tag, WireFormat.WireType.LengthDelimited, "Payload.uuid");
                    uuid = input.ReadString();
                    break;
                case PayloadBody:
                    Expect(tag, WireFormat.WireType.LengthDelimited, "Payload.body");
                    body = input.ReadBytes().ToByteArray();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return new SparkplugPayload { Timestamp = timestamp, Metrics = metrics, Seq = seq, Uuid = uuid, Body = body };
    }

    private static SparkplugMetric ReadMetric(CodedInputStream input)
    {
        string? name = null;
        ulong? alias = null, timestamp = null;
        uint dataType = 0;
        bool historical = false, transient = false, isNull = false;
        List<SparkplugProperty>? properties = null;
        var value = SparkplugValue.None;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var field = WireFormat.GetTagFieldNumber(tag);
            switch (field)
            {
                case MetricName:
                    Expect(tag, WireFormat.WireType.LengthDelimited, "Metric.name");
                    name = input.ReadString();
                    break;
                case MetricAlias:
                    Expect(tag, WireFormat.WireType.Varint, "Metric.alias");
                    alias = input.ReadUInt64();
                    break;
                case MetricTimestamp:
                    Expect(tag, WireFormat.WireType.Varint, "Metric.timestamp");
                    timestamp = input.ReadUInt64();
                    break;
                case MetricDataType:
                    Expect(tag, WireFormat.WireType.Varint, "Metric.datatype");
                    dataType = input.ReadUInt32();
                    break;
                case MetricHistorical:
                    Expect(tag, WireFormat.WireType.Varint, "Metric.is_historical");
                    historical = input.ReadBool();
                    break;
                case MetricTransient:
                    Expect(tag, WireFormat.WireType.Varint, "Metric.is_transient");
                    transient = input.ReadBool();
                    break;
                case MetricNull:
                    Expect(tag, WireFormat.WireType.Varint, "Metric.is_null");
                    isNull = input.ReadBool();
                    break;
                case MetricProperties:
                    Expect(tag, WireFormat.WireType.LengthDelimited, "Metric.properties");
                    properties = ReadPropertySet(input.ReadBytes().CreateCodedInput());
                    break;
                case >= MetricInt and <= MetricBytes:
                    value = ReadValue(input, tag, field - MetricInt, "Metric");
                    break;
                case MetricDataSet or MetricTemplate or MetricExtension:
                    input.SkipLastField();
                    value = SparkplugValue.Raw(SparkplugValueCase.Unsupported, 0, 0, null, null);
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return new SparkplugMetric
        {
            Name = name,
            Alias = alias,
            Timestamp = timestamp,
            DataType = (SparkplugDataType)dataType,
            IsHistorical = historical,
            IsTransient = transient,
            IsNull = isNull,
            Value = isNull ? SparkplugValue.None : value,
            Properties = properties,
        };
    }

    /// <summary>Reads the value whose field is <paramref name="offset"/> after the int field (0 int, 1 long, ... 6 bytes).</summary>
    private static SparkplugValue ReadValue(CodedInputStream input, uint tag, int offset, string message)
    {
        switch (offset)
        {
            case 0:
                Expect(tag, WireFormat.WireType.Varint, $"{message}.int_value");
                return SparkplugValue.Raw(SparkplugValueCase.Int, input.ReadUInt32(), 0, null, null);
            case 1:
                Expect(tag, WireFormat.WireType.Varint, $"{message}.long_value");
                return SparkplugValue.Raw(SparkplugValueCase.Long, input.ReadUInt64(), 0, null, null);
            case 2:
                Expect(tag, WireFormat.WireType.Fixed32, $"{message}.float_value");
                return SparkplugValue.Raw(SparkplugValueCase.Float, 0, input.ReadFloat(), null, null);
            case 3:
                Expect(tag, WireFormat.WireType.Fixed64, $"{message}.double_value");
                return SparkplugValue.Raw(SparkplugValueCase.Double, 0, input.ReadDouble(), null, null);
            case 4:
                Expect(tag, WireFormat.WireType.Varint, $"{message}.boolean_value");
                return SparkplugValue.Raw(SparkplugValueCase.Boolean, input.ReadBool() ? 1UL : 0UL, 0, null, null);
            case 5:
                Expect(tag, WireFormat.WireType.LengthDelimited, $"{message}.string_value");
                return SparkplugValue.Raw(SparkplugValueCase.String, 0, 0, input.ReadString(), null);
            default:
                Expect(tag, WireFormat.WireType.LengthDelimited, $"{message}.bytes_value");
                return SparkplugValue.Raw(SparkplugValueCase.Bytes, 0, 0, null, input.ReadBytes().ToByteArray());
        }
    }

    private static List<SparkplugProperty> ReadPropertySet(CodedInputStream input)
    {
        var keys = new List<string>();
        var values = new List<(SparkplugDataType Type, SparkplugValue Value)>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case SetKeys:
                    Expect(tag, WireFormat.WireType.LengthDelimited, "PropertySet.keys");
                    keys.Add(input.ReadString());
                    break;
                case SetValues:
                    Expect(tag, WireFormat.WireType.LengthDelimited, "PropertySet.values");
                    values.Add(ReadPropertyValue(input.ReadBytes().CreateCodedInput()));
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        if (keys.Count != values.Count)
        {
            throw new FormatException($"not a Sparkplug B payload: a property set has {keys.Count} keys and {values.Count} values");
        }

        return keys.Select((key, i) => new SparkplugProperty(key, values[i].Type, values[i].Value)).ToList();
    }

    private static (SparkplugDataType, SparkplugValue) ReadPropertyValue(CodedInputStream input)
    {
        uint type = 0;
        var value = SparkplugValue.None;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var field = WireFormat.GetTagFieldNumber(tag);
            switch (field)
            {
                case PropertyType:
                    Expect(tag, WireFormat.WireType.Varint, "PropertyValue.type");
                    type = input.ReadUInt32();
                    break;
                case PropertyNull:
                    Expect(tag, WireFormat.WireType.Varint, "PropertyValue.is_null");
                    input.ReadBool();
                    break;
                case >= PropertyInt and <= PropertyString:
                    value = ReadValue(input, tag, field - PropertyInt, "PropertyValue");
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return ((SparkplugDataType)type, value);
    }

    private static void Expect(uint tag, WireFormat.WireType expected, string field)
    {
        var actual = WireFormat.GetTagWireType(tag);
        if (actual != expected)
        {
            throw new FormatException($"not a Sparkplug B payload: {field} has wire type {actual}, expected {expected}");
        }
    }
}
