using System.Globalization;

namespace EdgeOps.OpcUa.Types;

/// <summary>
/// Any OPC UA value (Part 6 §5.2.2.16): a scalar, a one-dimensional array or a matrix of one built-in type.
/// Scalars are held as their .NET type (bool, sbyte, byte, short, ushort, int, uint, long, ulong, float, double,
/// string, DateTime, Guid, byte[], <see cref="XmlElement"/>, <see cref="NodeId"/>, <see cref="ExpandedNodeId"/>,
/// <see cref="StatusCode"/>, <see cref="QualifiedName"/>, <see cref="LocalizedText"/>, <see cref="ExtensionObject"/>,
/// <see cref="DataValue"/>, <see cref="DiagnosticInfo"/>); arrays as a typed .NET array of those (<see cref="Variant"/>[]
/// for type Variant); matrices as the flat array in row-major order plus <see cref="ArrayDimensions"/>.
/// </summary>
public readonly struct Variant : IEquatable<Variant>
{
    private readonly object? _object;
    private readonly ulong _bits;

    /// <summary>Wraps a value; <paramref name="value"/> must be of the .NET type that <paramref name="type"/> maps to.</summary>
    public Variant(BuiltInType type, object? value, IReadOnlyList<int>? arrayDimensions = null)
    {
        if (value is null && type != BuiltInType.Null)
        {
            type = BuiltInType.Null;
        }

        Type = type;
        _object = value;
        _bits = 0;
        ArrayDimensions = arrayDimensions;
    }

    /// <summary>
    /// A scalar of a fixed-size type (Boolean … Double, DateTime as ticks, StatusCode) held inline, without boxing:
    /// the decoder of the subscription hot path uses this so a value change allocates nothing.
    /// </summary>
    private Variant(BuiltInType type, ulong bits)
    {
        Type = type;
        _object = null;
        _bits = bits;
        ArrayDimensions = null;
    }

    /// <summary>The null variant.</summary>
    public static Variant Null => default;

    /// <summary>The built-in type of the value (of each element for arrays).</summary>
    public BuiltInType Type { get; }

    /// <summary>
    /// The value, a typed array, or null. A scalar of a fixed-size type is stored inline and boxed only when this
    /// property is read; prefer <see cref="TryGetDouble"/> on hot paths.
    /// </summary>
    public object? Value => _object ?? (IsInline ? Box() : null);

    /// <summary>Dimension lengths of a matrix, or null for scalars and one-dimensional arrays.</summary>
    public IReadOnlyList<int>? ArrayDimensions { get; }

    /// <summary>True for arrays and matrices.</summary>
    public bool IsArray => _object is Array && !(Type == BuiltInType.ByteString && _object is byte[]);

    /// <summary>True when there is no value.</summary>
    public bool IsNull => Type == BuiltInType.Null;

    private bool IsInline => _object is null && Type != BuiltInType.Null;

    /// <summary>A Boolean variant.</summary>
    public static Variant From(bool value) => new(BuiltInType.Boolean, value ? 1UL : 0UL);
    /// <summary>An SByte variant.</summary>
    public static Variant From(sbyte value) => new(BuiltInType.SByte, (ulong)value);
    /// <summary>A Byte variant.</summary>
    public static Variant From(byte value) => new(BuiltInType.Byte, value);
    /// <summary>An Int16 variant.</summary>
    public static Variant From(short value) => new(BuiltInType.Int16, (ulong)value);
    /// <summary>A UInt16 variant.</summary>
    public static Variant From(ushort value) => new(BuiltInType.UInt16, value);
    /// <summary>An Int32 variant.</summary>
    public static Variant From(int value) => new(BuiltInType.Int32, (ulong)value);
    /// <summary>A UInt32 variant.</summary>
    public static Variant From(uint value) => new(BuiltInType.UInt32, value);
    /// <summary>An Int64 variant.</summary>
    public static Variant From(long value) => new(BuiltInType.Int64, (ulong)value);
    /// <summary>A UInt64 variant.</summary>
    public static Variant From(ulong value) => new(BuiltInType.UInt64, value);
    /// <summary>A Float variant.</summary>
    public static Variant From(float value) => new(BuiltInType.Float, BitConverter.SingleToUInt32Bits(value));
    /// <summary>A Double variant.</summary>
    public static Variant From(double value) => new(BuiltInType.Double, BitConverter.DoubleToUInt64Bits(value));
    /// <summary>A String variant.</summary>
    public static Variant From(string? value) => new(BuiltInType.String, value);
    /// <summary>A DateTime variant.</summary>
    public static Variant From(DateTime value) => new(BuiltInType.DateTime, (ulong)value.Ticks | ((ulong)value.Kind << 62));
    /// <summary>A StatusCode variant.</summary>
    public static Variant From(StatusCode value) => new(BuiltInType.StatusCode, value.Code);

    private object Box() => Type switch
    {
        BuiltInType.Boolean => _bits != 0,
        BuiltInType.SByte => (sbyte)_bits,
        BuiltInType.Byte => (byte)_bits,
        BuiltInType.Int16 => (short)_bits,
        BuiltInType.UInt16 => (ushort)_bits,
        BuiltInType.Int32 => (int)_bits,
        BuiltInType.UInt32 => (uint)_bits,
        BuiltInType.Int64 => (long)_bits,
        BuiltInType.UInt64 => _bits,
        BuiltInType.Float => BitConverter.UInt32BitsToSingle((uint)_bits),
        BuiltInType.Double => BitConverter.UInt64BitsToDouble(_bits),
        BuiltInType.DateTime => new DateTime((long)(_bits & 0x3FFF_FFFF_FFFF_FFFF), (DateTimeKind)(_bits >> 62)),
        BuiltInType.StatusCode => new StatusCode((uint)_bits),
        _ => throw new InvalidOperationException($"Variant type {Type} is not stored inline."),
    };

    /// <summary>
    /// The value as a double when it is a number or a Boolean (true = 1); false for strings, arrays and structures.
    /// Used where a machine signal needs a number. Does not allocate.
    /// </summary>
    public bool TryGetDouble(out double value)
    {
        if (IsInline)
        {
            switch (Type)
            {
                case BuiltInType.Boolean: value = _bits != 0 ? 1 : 0; return true;
                case BuiltInType.SByte: value = (sbyte)_bits; return true;
                case BuiltInType.Byte: value = (byte)_bits; return true;
                case BuiltInType.Int16: value = (short)_bits; return true;
                case BuiltInType.UInt16: value = (ushort)_bits; return true;
                case BuiltInType.Int32: value = (int)_bits; return true;
                case BuiltInType.UInt32: value = (uint)_bits; return true;
                case BuiltInType.Int64: value = (long)_bits; return true;
                case BuiltInType.UInt64: value = _bits; return true;
                case BuiltInType.Float: value = BitConverter.UInt32BitsToSingle((uint)_bits); return true;
                case BuiltInType.Double: value = BitConverter.UInt64BitsToDouble(_bits); return true;
                case BuiltInType.StatusCode: value = (uint)_bits; return true;
                default: value = 0; return false;
            }
        }

        switch (_object)
        {
            case bool b: value = b ? 1 : 0; return true;
            case sbyte v: value = v; return true;
            case byte v: value = v; return true;
            case short v: value = v; return true;
            case ushort v: value = v; return true;
            case int v: value = v; return true;
            case uint v: value = v; return true;
            case long v: value = v; return true;
            case ulong v: value = v; return true;
            case float v: value = v; return true;
            case double v: value = v; return true;
            case StatusCode s: value = s.Code; return true;
            default: value = 0; return false;
        }
    }

    /// <inheritdoc />
    public bool Equals(Variant other)
    {
        if (Type != other.Type || IsArray != other.IsArray)
        {
            return false;
        }

        if (!DimensionsEqual(ArrayDimensions, other.ArrayDimensions))
        {
            return false;
        }

        return ValueEquals(Value, other.Value);
    }

    private static bool DimensionsEqual(IReadOnlyList<int>? a, IReadOnlyList<int>? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        return a.SequenceEqual(b);
    }

    internal static bool ValueEquals(object? a, object? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        if (a is byte[] ba && b is byte[] bb)
        {
            return ba.AsSpan().SequenceEqual(bb);
        }

        if (a is float fa && b is float fb)
        {
            return fa.Equals(fb);
        }

        if (a is double da && b is double db)
        {
            return da.Equals(db);
        }

        if (a is Array aa && b is Array ab)
        {
            if (aa.Length != ab.Length || aa.GetType() != ab.GetType())
            {
                return false;
            }

            for (var i = 0; i < aa.Length; i++)
            {
                if (!ValueEquals(aa.GetValue(i), ab.GetValue(i)))
                {
                    return false;
                }
            }

            return true;
        }

        if (a is ExtensionObject ea && b is ExtensionObject eb)
        {
            return ea.TypeId == eb.TypeId && ea.Encoding == eb.Encoding && ValueEquals(ea.RawBody, eb.RawBody)
                && Equals(ea.Body, eb.Body);
        }

        return a.Equals(b);
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Variant v && Equals(v);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Type, Value is Array a ? a.Length : Value?.GetHashCode() ?? 0);

    /// <summary>Value equality.</summary>
    public static bool operator ==(Variant left, Variant right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(Variant left, Variant right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString()
    {
        return Value switch
        {
            null => "null",
            byte[] bytes => "0x" + Convert.ToHexString(bytes),
            string s => s,
            Array array => "[" + string.Join(", ", array.Cast<object?>().Take(16).Select(Format)) + (array.Length > 16 ? ", …" : string.Empty) + "]",
            _ => Format(Value),
        };

        static string Format(object? o) => o switch
        {
            null => "null",
            DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => o.ToString() ?? string.Empty,
        };
    }
}
