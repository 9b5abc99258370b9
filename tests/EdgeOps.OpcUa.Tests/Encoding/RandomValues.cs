using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Tests.Encoding;

/// <summary>Seeded generator of valid values of every built-in type, for round-trips and as fuzz seeds.</summary>
internal sealed class RandomValues(int seed)
{
    private readonly Random _random = new(seed);

    public Random Random => _random;

    public static readonly BuiltInType[] ScalarTypes =
        [.. Enum.GetValues<BuiltInType>().Where(t => t != BuiltInType.Null && t != BuiltInType.Variant)];

    public string? String(bool allowNull = true)
    {
        if (allowNull && _random.Next(8) == 0)
        {
            return null;
        }

        var chars = new char[_random.Next(0, 12)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = _random.Next(4) switch
            {
                0 => (char)_random.Next(0x4E00, 0x9FFF),
                1 => (char)_random.Next(0xC0, 0x17F),
                _ => (char)_random.Next(0x20, 0x7E),
            };
        }

        return new string(chars);
    }

    public byte[]? Bytes(bool allowNull = true)
    {
        if (allowNull && _random.Next(8) == 0)
        {
            return null;
        }

        var b = new byte[_random.Next(0, 20)];
        _random.NextBytes(b);
        return b;
    }

    public DateTime DateTime() => _random.Next(10) switch
    {
        0 => System.DateTime.MinValue,
        1 => System.DateTime.MaxValue,
        _ => new DateTime(_random.NextInt64(new DateTime(1601, 1, 2).Ticks, new DateTime(9000, 1, 1).Ticks), DateTimeKind.Utc),
    };

    public NodeId NodeId()
    {
        var ns = (ushort)(_random.Next(3) switch { 0 => 0, 1 => _random.Next(1, 256), _ => _random.Next(256, 65536) });
        return _random.Next(5) switch
        {
            0 => Types.NodeId.FromNumeric((uint)_random.Next(0, 256), 0),
            1 => Types.NodeId.FromNumeric((uint)_random.NextInt64(0, uint.MaxValue), ns),
            2 => Types.NodeId.FromString(String(false)!, ns),
            3 => Types.NodeId.FromGuid(Guid.NewGuid(), ns),
            _ => Types.NodeId.FromOpaque(Bytes(false), ns),
        };
    }

    public ExpandedNodeId ExpandedNodeId() =>
        new(NodeId(), _random.Next(3) == 0 ? String(false) : null, _random.Next(3) == 0 ? (uint)_random.Next(1, 1000) : 0);

    public LocalizedText LocalizedText() => new(String(), String());

    public QualifiedName QualifiedName() => new((ushort)_random.Next(0, 65536), String(false));

    public DiagnosticInfo DiagnosticInfo(int depth = 0)
    {
        var d = new DiagnosticInfo
        {
            SymbolicId = _random.Next(2) == 0 ? _random.Next() : null,
            NamespaceUri = _random.Next(2) == 0 ? _random.Next() : null,
            Locale = _random.Next(2) == 0 ? _random.Next() : null,
            LocalizedText = _random.Next(2) == 0 ? _random.Next() : null,
            AdditionalInfo = _random.Next(2) == 0 ? String(false) : null,
            InnerStatusCode = _random.Next(2) == 0 ? new StatusCode((uint)_random.NextInt64(0, uint.MaxValue)) : null,
            InnerDiagnosticInfo = depth < 3 && _random.Next(3) == 0 ? DiagnosticInfo(depth + 1) : null,
        };

        // An empty DiagnosticInfo is the null one on the wire.
        return d == new DiagnosticInfo() ? d with { SymbolicId = 0 } : d;
    }

    public DataValue DataValue(int depth = 0) => new()
    {
        Value = depth < 2 && _random.Next(4) != 0 ? Variant(depth + 1) : Types.Variant.Null,
        Status = _random.Next(2) == 0 ? new StatusCode((uint)_random.NextInt64(0, uint.MaxValue)) : StatusCode.Good,
        SourceTimestamp = _random.Next(2) == 0 ? DateTime() : null,
        SourcePicoseconds = (ushort)(_random.Next(3) == 0 ? _random.Next(1, 10000) : 0),
        ServerTimestamp = _random.Next(2) == 0 ? DateTime() : null,
        ServerPicoseconds = (ushort)(_random.Next(3) == 0 ? _random.Next(1, 10000) : 0),
    };

    public object? Scalar(BuiltInType type, int depth = 0) => type switch
    {
        BuiltInType.Boolean => _random.Next(2) == 0,
        BuiltInType.SByte => (sbyte)_random.Next(sbyte.MinValue, sbyte.MaxValue + 1),
        BuiltInType.Byte => (byte)_random.Next(256),
        BuiltInType.Int16 => (short)_random.Next(short.MinValue, short.MaxValue + 1),
        BuiltInType.UInt16 => (ushort)_random.Next(65536),
        BuiltInType.Int32 => _random.Next(int.MinValue, int.MaxValue),
        BuiltInType.UInt32 => (uint)_random.NextInt64(0, uint.MaxValue),
        BuiltInType.Int64 => _random.NextInt64(long.MinValue, long.MaxValue),
        BuiltInType.UInt64 => (ulong)_random.NextInt64(long.MinValue, long.MaxValue),
        BuiltInType.Float => _random.Next(10) == 0 ? float.NaN : (float)(_random.NextDouble() * 1e6 - 5e5),
        BuiltInType.Double => _random.Next(10) == 0 ? double.NegativeInfinity : _random.NextDouble() * 1e12 - 5e11,
        BuiltInType.String => String(false),
        BuiltInType.DateTime => DateTime(),
        BuiltInType.Guid => Guid.NewGuid(),
        BuiltInType.ByteString => Bytes(false),
        BuiltInType.XmlElement => new XmlElement("<a>" + _random.Next() + "</a>"),
        BuiltInType.NodeId => NodeId(),
        BuiltInType.ExpandedNodeId => ExpandedNodeId(),
        BuiltInType.StatusCode => new StatusCode((uint)_random.NextInt64(0, uint.MaxValue)),
        BuiltInType.QualifiedName => QualifiedName(),
        BuiltInType.LocalizedText => LocalizedText(),
        BuiltInType.ExtensionObject => new ExtensionObject(Types.NodeId.FromNumeric((uint)_random.Next(5000, 9000), 2), ExtensionObjectEncoding.Binary, Bytes(false)),
        BuiltInType.DataValue => DataValue(depth),
        BuiltInType.DiagnosticInfo => DiagnosticInfo(),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public Variant Variant(int depth = 0)
    {
        var type = ScalarTypes[_random.Next(ScalarTypes.Length)];
        if (type == BuiltInType.DataValue && depth > 1)
        {
            type = BuiltInType.Int32;
        }

        switch (_random.Next(4))
        {
            case 0:
            case 1:
                return new Variant(type, Scalar(type, depth));
            case 2:
                return new Variant(type, Array(type, _random.Next(0, 6), depth));
            default:
                var rows = _random.Next(1, 4);
                var cols = _random.Next(1, 4);
                return new Variant(type, Array(type, rows * cols, depth), [rows, cols]);
        }
    }

    public Array Array(BuiltInType type, int length, int depth)
    {
        var elementType = type switch
        {
            BuiltInType.Boolean => typeof(bool),
            BuiltInType.SByte => typeof(sbyte),
            BuiltInType.Byte => typeof(byte),
            BuiltInType.Int16 => typeof(short),
            BuiltInType.UInt16 => typeof(ushort),
            BuiltInType.Int32 => typeof(int),
            BuiltInType.UInt32 => typeof(uint),
            BuiltInType.Int64 => typeof(long),
            BuiltInType.UInt64 => typeof(ulong),
            BuiltInType.Float => typeof(float),
            BuiltInType.Double => typeof(double),
            BuiltInType.String => typeof(string),
            BuiltInType.DateTime => typeof(DateTime),
            BuiltInType.Guid => typeof(Guid),
            BuiltInType.ByteString => typeof(byte[]),
            BuiltInType.XmlElement => typeof(XmlElement),
            BuiltInType.NodeId => typeof(NodeId),
            BuiltInType.ExpandedNodeId => typeof(ExpandedNodeId),
            BuiltInType.StatusCode => typeof(StatusCode),
            BuiltInType.QualifiedName => typeof(QualifiedName),
            BuiltInType.LocalizedText => typeof(LocalizedText),
            BuiltInType.ExtensionObject => typeof(ExtensionObject),
            BuiltInType.DataValue => typeof(DataValue),
            BuiltInType.DiagnosticInfo => typeof(DiagnosticInfo),
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
        var array = System.Array.CreateInstance(elementType, length);
        for (var i = 0; i < length; i++)
        {
            array.SetValue(Scalar(type, depth + 1), i);
        }

        return array;
    }
}
