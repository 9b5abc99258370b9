namespace EdgeOps.Contract.Sparkplug;

/// <summary>Which field of a metric's <c>value</c> oneof carries the value.</summary>
public enum SparkplugValueCase
{
    /// <summary>No value (a null metric, or one the codec does not read: data set, template, extension).</summary>
    None = 0,

    /// <summary><c>int_value</c> (uint32 on the wire).</summary>
    Int = 1,

    /// <summary><c>long_value</c> (uint64 on the wire).</summary>
    Long = 2,

    /// <summary><c>float_value</c>.</summary>
    Float = 3,

    /// <summary><c>double_value</c>.</summary>
    Double = 4,

    /// <summary><c>boolean_value</c>.</summary>
    Boolean = 5,

    /// <summary><c>string_value</c>.</summary>
    String = 6,

    /// <summary><c>bytes_value</c>.</summary>
    Bytes = 7,

    /// <summary>A data set, template or extension: present, not read.</summary>
    Unsupported = 8,
}

/// <summary>
/// One metric or property value as it is on the wire: the oneof case and its content. A struct, so a data message's
/// values cost no allocation beyond their strings.
/// </summary>
public readonly record struct SparkplugValue
{
    private SparkplugValue(SparkplugValueCase valueCase, ulong bits, double number, string? text, byte[]? bytes)
    {
        Case = valueCase;
        Bits = bits;
        Number = number;
        Text = text;
        BytesValue = bytes;
    }

    /// <summary>The oneof field that carries it.</summary>
    public SparkplugValueCase Case { get; }

    /// <summary><c>int_value</c>, <c>long_value</c> or <c>boolean_value</c> (1/0) as the wire's unsigned bits.</summary>
    public ulong Bits { get; }

    /// <summary><c>float_value</c> or <c>double_value</c>.</summary>
    public double Number { get; }

    /// <summary><c>string_value</c>.</summary>
    public string? Text { get; }

    /// <summary><c>bytes_value</c>.</summary>
    public byte[]? BytesValue { get; }

    /// <summary>No value.</summary>
    public static SparkplugValue None => default;

    /// <summary>A value of <paramref name="type"/> from a signed integer (Int8-Int64, UInt8-UInt64, DateTime).</summary>
    public static SparkplugValue Integer(SparkplugDataType type, long value) => type switch
    {
        SparkplugDataType.Int8 or SparkplugDataType.Int16 or SparkplugDataType.Int32 or SparkplugDataType.UInt8
            or SparkplugDataType.UInt16 => new(SparkplugValueCase.Int, unchecked((uint)value), 0, null, null),
        _ => new(SparkplugValueCase.Long, unchecked((ulong)value), 0, null, null),
    };

    /// <summary>A Double.</summary>
    public static SparkplugValue Double(double value) => new(SparkplugValueCase.Double, 0, value, null, null);

    /// <summary>A Float.</summary>
    public static SparkplugValue Float(float value) => new(SparkplugValueCase.Float, 0, value, null, null);

    /// <summary>A Boolean.</summary>
    public static SparkplugValue Boolean(bool value) => new(SparkplugValueCase.Boolean, value ? 1UL : 0UL, 0, null, null);

    /// <summary>A String (or Text, UUID).</summary>
    public static SparkplugValue String(string value) => new(SparkplugValueCase.String, 0, 0, value, null);

    /// <summary>Bytes (or File).</summary>
    public static SparkplugValue Bytes(byte[] value) => new(SparkplugValueCase.Bytes, 0, 0, null, value);

    /// <summary>A DateTime: milliseconds since the Unix epoch.</summary>
    public static SparkplugValue DateTime(DateTimeOffset value) =>
        new(SparkplugValueCase.Long, unchecked((ulong)value.ToUnixTimeMilliseconds()), 0, null, null);

    internal static SparkplugValue Raw(SparkplugValueCase valueCase, ulong bits, double number, string? text, byte[]? bytes) =>
        new(valueCase, bits, number, text, bytes);

    /// <summary>The value read as <paramref name="type"/> says (sign-extending the signed integer types); null when it has none.</summary>
    public object? ToObject(SparkplugDataType type) => Case switch
    {
        SparkplugValueCase.Int => type switch
        {
            SparkplugDataType.Int8 => (long)unchecked((sbyte)Bits),
            SparkplugDataType.Int16 => (long)unchecked((short)Bits),
            SparkplugDataType.Int32 => (long)unchecked((int)Bits),
            _ => (long)(uint)Bits,
        },
        SparkplugValueCase.Long => type switch
        {
            SparkplugDataType.Int64 => unchecked((long)Bits),
            SparkplugDataType.DateTime => DateTimeOffset.FromUnixTimeMilliseconds(unchecked((long)Bits)),
            _ => Bits,
        },
        SparkplugValueCase.Float or SparkplugValueCase.Double => Number,
        SparkplugValueCase.Boolean => Bits != 0,
        SparkplugValueCase.String => Text,
        SparkplugValueCase.Bytes => BytesValue,
        _ => null,
    };
}
