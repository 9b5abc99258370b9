using System.Buffers.Binary;
using System.Globalization;
using EdgeOps.OpcUa.Subscriptions;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Encoding;

/// <summary>Reads one element of an array; used with <see cref="UaBinaryReader.ReadArray{T}"/>.</summary>
internal delegate T ElementReader<out T>(ref UaBinaryReader reader);

/// <summary>
/// Decodes OPC UA Binary (Part 6 §5.2) from a span. Every length read from the wire is checked against the bytes
/// that remain and against <see cref="DecodingLimits"/> before anything is allocated; every failure is a
/// <see cref="UaDecodingException"/> naming what and where.
/// </summary>
internal ref struct UaBinaryReader
{
    private const long FileTimeEpochTicks = 504911232000000000; // 1601-01-01 in DateTime ticks
    private static readonly long MaxFileTime = DateTime.MaxValue.Ticks - FileTimeEpochTicks;

    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;
    private int _depth;
    private int _elements;

    public UaBinaryReader(ReadOnlySpan<byte> buffer, DecodingLimits? limits = null)
    {
        _buffer = buffer;
        _position = 0;
        _depth = 0;
        _elements = 0;
        Limits = limits ?? DecodingLimits.Default;
    }

    public DecodingLimits Limits { get; }

    public readonly int Position => _position;

    /// <summary>Array elements read so far from this message (see <see cref="DecodingLimits.MaxElementsPerMessage"/>).</summary>
    public readonly int Elements => _elements;

    public readonly int Remaining => _buffer.Length - _position;

    public readonly ReadOnlySpan<byte> RemainingSpan => _buffer[_position..];

    public static UaDecodingException Error(string what, int position) =>
        new(StatusCode.BadDecodingError, string.Create(CultureInfo.InvariantCulture, $"{what} at offset {position}."));

    private readonly UaDecodingException Error(string what) => Error(what, _position);

    private readonly UaDecodingException LimitError(string what) =>
        new(StatusCode.BadEncodingLimitsExceeded, string.Create(CultureInfo.InvariantCulture, $"{what} at offset {_position}."));

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count < 0 || count > Remaining)
        {
            throw Error($"{what} needs {count} bytes but only {Remaining} remain");
        }

        var span = _buffer.Slice(_position, count);
        _position += count;
        return span;
    }

    public void Skip(int count) => Take(count, "skip");

    public ReadOnlySpan<byte> ReadBytes(int count) => Take(count, "raw bytes");

    public bool ReadBoolean() => Take(1, "Boolean")[0] != 0;

    public sbyte ReadSByte() => (sbyte)Take(1, "SByte")[0];

    public byte ReadByte() => Take(1, "Byte")[0];

    public short ReadInt16() => BinaryPrimitives.ReadInt16LittleEndian(Take(2, "Int16"));

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, "UInt16"));

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4, "Int32"));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, "UInt32"));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8, "Int64"));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, "UInt64"));

    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(Take(4, "Float"));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8, "Double"));

    /// <summary>Null (length −1) reads as null; other negative lengths are errors.</summary>
    public string? ReadString()
    {
        var length = ReadInt32();
        if (length == -1)
        {
            return null;
        }

        if (length < -1)
        {
            throw Error($"String length {length} is negative");
        }

        if (length > Limits.MaxStringLength)
        {
            throw LimitError($"String length {length} exceeds the limit {Limits.MaxStringLength}");
        }

        var bytes = Take(length, "String");
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw Error("String is not valid UTF-8", _position - length);
        }
    }

    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(false, true);

    public DateTime ReadDateTime()
    {
        var ticks = ReadInt64();
        if (ticks <= 0)
        {
            return DateTime.MinValue;
        }

        return ticks >= MaxFileTime ? DateTime.MaxValue : new DateTime(ticks + FileTimeEpochTicks, DateTimeKind.Utc);
    }

    public Guid ReadGuid() => new(Take(16, "Guid"));

    public byte[]? ReadByteString()
    {
        var length = ReadInt32();
        if (length == -1)
        {
            return null;
        }

        if (length < -1)
        {
            throw Error($"ByteString length {length} is negative");
        }

        if (length > Limits.MaxByteStringLength)
        {
            throw LimitError($"ByteString length {length} exceeds the limit {Limits.MaxByteStringLength}");
        }

        return Take(length, "ByteString").ToArray();
    }

    public XmlElement? ReadXmlElement()
    {
        var text = ReadString();
        return text is null ? null : new XmlElement(text);
    }

    public NodeId ReadNodeId()
    {
        var start = _position;
        var encoding = ReadByte();
        return ReadNodeIdBody((byte)(encoding & 0x3F), start, (encoding & 0xC0) != 0 ? encoding : (byte)0, allowFlags: false);
    }

    private NodeId ReadNodeIdBody(byte form, int start, byte flags, bool allowFlags)
    {
        if (!allowFlags && flags != 0)
        {
            throw Error($"NodeId encoding byte 0x{flags:X2} has ExpandedNodeId flags", start);
        }

        switch (form)
        {
            case 0:
                return NodeId.FromNumeric(ReadByte());
            case 1:
                {
                    var ns = ReadByte();
                    return NodeId.FromNumeric(ReadUInt16(), ns);
                }

            case 2:
                {
                    var ns = ReadUInt16();
                    return NodeId.FromNumeric(ReadUInt32(), ns);
                }

            case 3:
                {
                    var ns = ReadUInt16();
                    var s = ReadString() ?? throw Error("String NodeId has a null identifier", start);
                    return NodeId.FromString(s, ns);
                }

            case 4:
                {
                    var ns = ReadUInt16();
                    return NodeId.FromGuid(ReadGuid(), ns);
                }

            case 5:
                {
                    var ns = ReadUInt16();
                    var b = ReadByteString() ?? throw Error("Opaque NodeId has a null identifier", start);
                    return NodeId.FromOpaqueOwned(b, ns);
                }

            default:
                throw Error($"NodeId encoding {form} is not defined", start);
        }
    }

    public ExpandedNodeId ReadExpandedNodeId()
    {
        var start = _position;
        var encoding = ReadByte();
        var nodeId = ReadNodeIdBody((byte)(encoding & 0x3F), start, 0, allowFlags: true);
        var uri = (encoding & 0x80) != 0 ? ReadString() : null;
        var server = (encoding & 0x40) != 0 ? ReadUInt32() : 0;
        return uri is null && server == 0 && nodeId.IsNull ? ExpandedNodeId.Null : new ExpandedNodeId(nodeId, uri, server);
    }

    public StatusCode ReadStatusCode() => new(ReadUInt32());

    public QualifiedName ReadQualifiedName()
    {
        var ns = ReadUInt16();
        var name = ReadString();
        return ns == 0 && name is null ? QualifiedName.Null : new QualifiedName(ns, name);
    }

    public LocalizedText ReadLocalizedText()
    {
        var mask = ReadByte();
        if ((mask & 0xFC) != 0)
        {
            throw Error($"LocalizedText mask 0x{mask:X2} has undefined bits", _position - 1);
        }

        var locale = (mask & 1) != 0 ? ReadString() : null;
        var text = (mask & 2) != 0 ? ReadString() : null;
        return mask == 0 ? LocalizedText.Null : new LocalizedText(locale, text);
    }

    private void Enter(string what)
    {
        if (++_depth > Limits.MaxNestingDepth)
        {
            throw LimitError($"{what} nesting exceeds depth {Limits.MaxNestingDepth}");
        }
    }

    private void Leave() => _depth--;

    public ExtensionObject ReadExtensionObject()
    {
        Enter("ExtensionObject");
        try
        {
            var typeId = ReadNodeId();
            var start = _position;
            var encoding = ReadByte();
            switch (encoding)
            {
                case 0:
                    return typeId.IsNull ? ExtensionObject.Null : new ExtensionObject(typeId, ExtensionObjectEncoding.None, null);
                case 1:
                case 2:
                    break;
                default:
                    throw Error($"ExtensionObject encoding {encoding} is not defined", start);
            }

            var length = ReadInt32();
            if (length < 0)
            {
                throw Error($"ExtensionObject body length {length} is negative");
            }

            if (length > Limits.MaxByteStringLength)
            {
                throw LimitError($"ExtensionObject body length {length} exceeds the limit {Limits.MaxByteStringLength}");
            }

            var body = Take(length, "ExtensionObject body");
            if (encoding == 1 && typeId.NamespaceIndex == 0 && typeId.IdType == NodeIdType.Numeric
                && KnownTypes.TryGetDecoder(typeId.Numeric, out var decoder))
            {
                // The body shares the message's depth and element budget: nesting must not reset either.
                var inner = new UaBinaryReader(body, Limits) { _depth = _depth, _elements = _elements };
                try
                {
                    var decoded = decoder(ref inner);
                    _elements = inner._elements;
                    return new ExtensionObject(typeId, decoded);
                }
                catch (UaDecodingException ex) when (!ex.Status.Is(StatusCode.BadEncodingLimitsExceeded))
                {
                    _elements = inner._elements;
                    // One structure that does not decode must not fail the message around it: keep its bytes.
                    return new ExtensionObject(typeId, ExtensionObjectEncoding.Binary, body.ToArray()) { DecodeError = ex.Message };
                }
            }

            return new ExtensionObject(typeId, (ExtensionObjectEncoding)encoding, body.ToArray());
        }
        finally
        {
            Leave();
        }
    }

    /// <summary>
    /// Reads a DataValue into the fields of a <see cref="MonitoredItemValue"/> (the subscription hot path: no
    /// object per value unless the value itself is a string, array or structure).
    /// </summary>
    public MonitoredItemValue ReadMonitoredItemValue(uint clientHandle)
    {
        var f = ReadDataValueFields();
        return new MonitoredItemValue(clientHandle, f.Value, f.Status, f.SourceTs, f.ServerTs)
        {
            SourcePicoseconds = f.SourcePs,
            ServerPicoseconds = f.ServerPs,
        };
    }

    /// <summary>Reads a DataValue.</summary>
    public DataValue ReadDataValue()
    {
        var f = ReadDataValueFields();
        return new DataValue
        {
            Value = f.Value,
            Status = f.Status,
            SourceTimestamp = f.SourceTs,
            SourcePicoseconds = f.SourcePs,
            ServerTimestamp = f.ServerTs,
            ServerPicoseconds = f.ServerPs,
        };
    }

    // The DataValue encoding (mask byte, then the fields it announces) as a value tuple: no object of its own.
    private (Variant Value, StatusCode Status, DateTime? SourceTs, ushort SourcePs, DateTime? ServerTs, ushort ServerPs) ReadDataValueFields()
    {
        Enter("DataValue");
        try
        {
            var start = _position;
            var mask = ReadByte();
            if ((mask & 0xC0) != 0)
            {
                throw Error($"DataValue mask 0x{mask:X2} has undefined bits", start);
            }

            var value = (mask & 0x01) != 0 ? ReadVariant() : Variant.Null;
            var status = (mask & 0x02) != 0 ? ReadStatusCode() : StatusCode.Good;
            DateTime? sourceTs = (mask & 0x04) != 0 ? ReadDateTime() : null;
            var sourcePs = (mask & 0x10) != 0 ? ReadUInt16() : (ushort)0;
            DateTime? serverTs = (mask & 0x08) != 0 ? ReadDateTime() : null;
            var serverPs = (mask & 0x20) != 0 ? ReadUInt16() : (ushort)0;
            return (value, status, sourceTs, sourcePs, serverTs, serverPs);
        }
        finally
        {
            Leave();
        }
    }

    public DiagnosticInfo? ReadDiagnosticInfo()
    {
        Enter("DiagnosticInfo");
        try
        {
            var start = _position;
            var mask = ReadByte();
            if ((mask & 0x80) != 0)
            {
                throw Error($"DiagnosticInfo mask 0x{mask:X2} has undefined bits", start);
            }

            if (mask == 0)
            {
                return null;
            }

            // Wire order: SymbolicId, NamespaceUri, Locale, LocalizedText (not the mask's bit order).
            int? symbolic = (mask & 0x01) != 0 ? ReadInt32() : null;
            int? ns = (mask & 0x02) != 0 ? ReadInt32() : null;
            int? locale = (mask & 0x08) != 0 ? ReadInt32() : null;
            int? text = (mask & 0x04) != 0 ? ReadInt32() : null;
            var additional = (mask & 0x10) != 0 ? ReadString() : null;
            StatusCode? innerStatus = (mask & 0x20) != 0 ? ReadStatusCode() : null;
            var inner = (mask & 0x40) != 0 ? ReadDiagnosticInfo() : null;
            return new DiagnosticInfo
            {
                SymbolicId = symbolic,
                NamespaceUri = ns,
                Locale = locale,
                LocalizedText = text,
                AdditionalInfo = additional,
                InnerStatusCode = innerStatus,
                InnerDiagnosticInfo = inner,
            };
        }
        finally
        {
            Leave();
        }
    }

    /// <summary>
    /// Array count: −1 is null; checked against the limit, against <paramref name="minElementSize"/> × count remaining
    /// bytes and, when <paramref name="budgeted"/>, against what is left of the message's element budget.
    /// </summary>
    public int ReadArrayLength(int minElementSize, string what, bool budgeted = true)
    {
        var count = ReadInt32();
        if (count == -1)
        {
            return -1;
        }

        if (count < -1)
        {
            throw Error($"{what} array length {count} is negative");
        }

        if (count > Limits.MaxArrayLength)
        {
            throw LimitError($"{what} array length {count} exceeds the limit {Limits.MaxArrayLength}");
        }

        if ((long)count * minElementSize > Remaining)
        {
            throw Error($"{what} array length {count} needs at least {(long)count * minElementSize} bytes but only {Remaining} remain");
        }

        if (budgeted && (long)_elements + count > Limits.MaxElementsPerMessage)
        {
            throw LimitError($"{what} array length {count} after {_elements} elements exceeds the message's element budget {Limits.MaxElementsPerMessage}");
        }

        if (budgeted)
        {
            _elements += count;
        }

        return count;
    }

    public T[]? ReadArray<T>(ElementReader<T> read, int minElementSize, string what)
    {
        var count = ReadArrayLength(minElementSize, what);
        if (count < 0)
        {
            return null;
        }

        var result = new T[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = read(ref this);
        }

        return result;
    }

    /// <summary>An array where null and empty mean the same to the caller.</summary>
    public T[] ReadList<T>(ElementReader<T> read, int minElementSize, string what) => ReadArray(read, minElementSize, what) ?? [];

    public Variant ReadVariant()
    {
        Enter("Variant");
        try
        {
            var start = _position;
            var mask = ReadByte();
            var typeId = mask & 0x3F;
            if (typeId > (int)BuiltInType.DiagnosticInfo)
            {
                throw Error($"Variant type {typeId} is not a built-in type", start);
            }

            var type = (BuiltInType)typeId;
            var isArray = (mask & 0x80) != 0;
            var hasDimensions = (mask & 0x40) != 0;
            if (!isArray)
            {
                if (hasDimensions)
                {
                    throw Error("Variant has ArrayDimensions without an array", start);
                }

                if (type == BuiltInType.Variant)
                {
                    throw Error("Variant scalar of type Variant is not allowed", start);
                }

                return type == BuiltInType.Null ? Variant.Null : ReadScalarVariant(type);
            }

            // Arrays of fixed-size numbers cost no more memory than their bytes: only the others spend the budget.
            var length = ReadArrayLength(MinSize(type), $"Variant {type}", budgeted: type is not (>= BuiltInType.Boolean and <= BuiltInType.Double
                or BuiltInType.DateTime or BuiltInType.StatusCode));
            var array = length < 0 ? null : ReadTypedArray(type, length);
            int[]? dimensions = null;
            if (hasDimensions)
            {
                dimensions = ReadArray(static (ref UaBinaryReader r) => r.ReadInt32(), 4, "ArrayDimensions");
                if (dimensions is null || dimensions.Length < 2)
                {
                    // One dimension is just an array; fewer is not a matrix.
                    if (dimensions is { Length: 1 } && dimensions[0] == Math.Max(length, 0))
                    {
                        dimensions = null;
                    }
                    else
                    {
                        throw Error("Variant ArrayDimensions must name at least two dimensions", start);
                    }
                }
                else
                {
                    long product = 1;
                    foreach (var d in dimensions)
                    {
                        if (d < 0)
                        {
                            throw Error($"Variant array dimension {d} is negative", start);
                        }

                        product *= d;
                        if (product > int.MaxValue)
                        {
                            break;
                        }
                    }

                    if (product != Math.Max(length, 0))
                    {
                        throw Error($"Variant ArrayDimensions product {product} does not match the array length {length}", start);
                    }
                }
            }

            return type == BuiltInType.Null ? Variant.Null : new Variant(type, array, dimensions);
        }
        finally
        {
            Leave();
        }
    }

    private static int MinSize(BuiltInType type) => type switch
    {
        BuiltInType.Int16 or BuiltInType.UInt16 => 2,
        BuiltInType.Int32 or BuiltInType.UInt32 or BuiltInType.Float or BuiltInType.StatusCode
            or BuiltInType.String or BuiltInType.ByteString or BuiltInType.XmlElement => 4,
        BuiltInType.Int64 or BuiltInType.UInt64 or BuiltInType.Double or BuiltInType.DateTime => 8,
        BuiltInType.Guid => 16,
        BuiltInType.NodeId or BuiltInType.ExpandedNodeId => 2,
        BuiltInType.QualifiedName => 6,
        BuiltInType.ExtensionObject => 3,
        _ => 1,
    };

    /// <summary>Fixed-size scalars are kept inline in the <see cref="Variant"/> (no boxing); the rest as objects.</summary>
    private Variant ReadScalarVariant(BuiltInType type) => type switch
    {
        BuiltInType.Boolean => Variant.From(ReadBoolean()),
        BuiltInType.SByte => Variant.From(ReadSByte()),
        BuiltInType.Byte => Variant.From(ReadByte()),
        BuiltInType.Int16 => Variant.From(ReadInt16()),
        BuiltInType.UInt16 => Variant.From(ReadUInt16()),
        BuiltInType.Int32 => Variant.From(ReadInt32()),
        BuiltInType.UInt32 => Variant.From(ReadUInt32()),
        BuiltInType.Int64 => Variant.From(ReadInt64()),
        BuiltInType.UInt64 => Variant.From(ReadUInt64()),
        BuiltInType.Float => Variant.From(ReadFloat()),
        BuiltInType.Double => Variant.From(ReadDouble()),
        BuiltInType.DateTime => Variant.From(ReadDateTime()),
        BuiltInType.StatusCode => Variant.From(ReadStatusCode()),
        _ => new Variant(type, ReadScalar(type)),
    };

    private object? ReadScalar(BuiltInType type) => type switch
    {
        BuiltInType.Boolean => ReadBoolean(),
        BuiltInType.SByte => ReadSByte(),
        BuiltInType.Byte => ReadByte(),
        BuiltInType.Int16 => ReadInt16(),
        BuiltInType.UInt16 => ReadUInt16(),
        BuiltInType.Int32 => ReadInt32(),
        BuiltInType.UInt32 => ReadUInt32(),
        BuiltInType.Int64 => ReadInt64(),
        BuiltInType.UInt64 => ReadUInt64(),
        BuiltInType.Float => ReadFloat(),
        BuiltInType.Double => ReadDouble(),
        BuiltInType.String => ReadString(),
        BuiltInType.DateTime => ReadDateTime(),
        BuiltInType.Guid => ReadGuid(),
        BuiltInType.ByteString => ReadByteString(),
        BuiltInType.XmlElement => ReadXmlElement(),
        BuiltInType.NodeId => ReadNodeId(),
        BuiltInType.ExpandedNodeId => ReadExpandedNodeId(),
        BuiltInType.StatusCode => ReadStatusCode(),
        BuiltInType.QualifiedName => ReadQualifiedName(),
        BuiltInType.LocalizedText => ReadLocalizedText(),
        BuiltInType.ExtensionObject => ReadExtensionObject(),
        BuiltInType.DataValue => ReadDataValue(),
        BuiltInType.DiagnosticInfo => ReadDiagnosticInfo(),
        _ => throw Error($"Variant type {type} cannot be a scalar"),
    };

    private Array ReadTypedArray(BuiltInType type, int n)
    {
        switch (type)
        {
            case BuiltInType.Boolean: return Fill(n, static (ref UaBinaryReader r) => r.ReadBoolean());
            case BuiltInType.SByte: return Fill(n, static (ref UaBinaryReader r) => r.ReadSByte());
            case BuiltInType.Byte: return Take(n, "Byte array").ToArray();
            case BuiltInType.Int16: return Fill(n, static (ref UaBinaryReader r) => r.ReadInt16());
            case BuiltInType.UInt16: return Fill(n, static (ref UaBinaryReader r) => r.ReadUInt16());
            case BuiltInType.Int32: return Fill(n, static (ref UaBinaryReader r) => r.ReadInt32());
            case BuiltInType.UInt32: return Fill(n, static (ref UaBinaryReader r) => r.ReadUInt32());
            case BuiltInType.Int64: return Fill(n, static (ref UaBinaryReader r) => r.ReadInt64());
            case BuiltInType.UInt64: return Fill(n, static (ref UaBinaryReader r) => r.ReadUInt64());
            case BuiltInType.Float: return Fill(n, static (ref UaBinaryReader r) => r.ReadFloat());
            case BuiltInType.Double: return Fill(n, static (ref UaBinaryReader r) => r.ReadDouble());
            case BuiltInType.String: return Fill(n, static (ref UaBinaryReader r) => r.ReadString());
            case BuiltInType.DateTime: return Fill(n, static (ref UaBinaryReader r) => r.ReadDateTime());
            case BuiltInType.Guid: return Fill(n, static (ref UaBinaryReader r) => r.ReadGuid());
            case BuiltInType.ByteString: return Fill(n, static (ref UaBinaryReader r) => r.ReadByteString());
            case BuiltInType.XmlElement: return Fill(n, static (ref UaBinaryReader r) => r.ReadXmlElement());
            case BuiltInType.NodeId: return Fill(n, static (ref UaBinaryReader r) => r.ReadNodeId());
            case BuiltInType.ExpandedNodeId: return Fill(n, static (ref UaBinaryReader r) => r.ReadExpandedNodeId());
            case BuiltInType.StatusCode: return Fill(n, static (ref UaBinaryReader r) => r.ReadStatusCode());
            case BuiltInType.QualifiedName: return Fill(n, static (ref UaBinaryReader r) => r.ReadQualifiedName());
            case BuiltInType.LocalizedText: return Fill(n, static (ref UaBinaryReader r) => r.ReadLocalizedText());
            case BuiltInType.ExtensionObject: return Fill(n, static (ref UaBinaryReader r) => r.ReadExtensionObject());
            case BuiltInType.DataValue: return Fill(n, static (ref UaBinaryReader r) => r.ReadDataValue());
            case BuiltInType.Variant: return Fill(n, static (ref UaBinaryReader r) => r.ReadVariant());
            case BuiltInType.DiagnosticInfo: return Fill(n, static (ref UaBinaryReader r) => r.ReadDiagnosticInfo());
            default:
                if (n != 0)
                {
                    throw Error("Variant array of type Null must be empty");
                }

                return Array.Empty<object>();
        }
    }

    private T[] Fill<T>(int n, ElementReader<T> read)
    {
        var result = new T[n];
        for (var i = 0; i < n; i++)
        {
            result[i] = read(ref this);
        }

        return result;
    }
}
