using System.Buffers.Binary;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Encoding;

/// <summary>Something that writes itself in OPC UA Binary.</summary>
internal interface IUaEncodable
{
    void Encode(UaBinaryWriter writer);
}

/// <summary>A structure that can travel inside an <see cref="ExtensionObject"/>: it knows its DefaultBinary encoding id.</summary>
internal interface IUaStructure : IUaEncodable
{
    uint BinaryEncodingId { get; }
}

/// <summary>
/// Encodes OPC UA Binary into a growable buffer that can be reset and reused (one per channel, so steady-state
/// sending allocates nothing).
/// </summary>
internal sealed class UaBinaryWriter
{
    private const long FileTimeEpochTicks = 504911232000000000;
    private byte[] _buffer;
    private int _position;

    public UaBinaryWriter(int capacity = 4096) => _buffer = new byte[Math.Max(capacity, 16)];

    public int Position => _position;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _position);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _position);

    public byte[] ToArray() => WrittenSpan.ToArray();

    public void Reset() => _position = 0;

    /// <summary>Bytes the buffer can hold before it grows.</summary>
    public int Capacity => _buffer.Length;

    private Span<byte> Grow(int count)
    {
        if (_position + count > _buffer.Length)
        {
            var size = Math.Max(_buffer.Length * 2, _position + count);
            Array.Resize(ref _buffer, size);
        }

        var span = _buffer.AsSpan(_position, count);
        _position += count;
        return span;
    }

    /// <summary>Writes a UInt32 at an earlier position (a length prefix filled in afterwards).</summary>
    public void PatchUInt32(int position, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(position, 4), value);

    public void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Grow(bytes.Length));

    public void WriteBoolean(bool value) => Grow(1)[0] = value ? (byte)1 : (byte)0;

    public void WriteSByte(sbyte value) => Grow(1)[0] = (byte)value;

    public void WriteByte(byte value) => Grow(1)[0] = value;

    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16LittleEndian(Grow(2), value);

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Grow(2), value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Grow(4), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Grow(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Grow(8), value);

    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Grow(8), value);

    public void WriteFloat(float value) => BinaryPrimitives.WriteSingleLittleEndian(Grow(4), value);

    public void WriteDouble(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Grow(8), value);

    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }

        var length = System.Text.Encoding.UTF8.GetByteCount(value);
        WriteInt32(length);
        System.Text.Encoding.UTF8.GetBytes(value, Grow(length));
    }

    public void WriteDateTime(DateTime value)
    {
        if (value == DateTime.MaxValue)
        {
            WriteInt64(long.MaxValue);
            return;
        }

        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        var ticks = utc.Ticks - FileTimeEpochTicks;
        WriteInt64(ticks <= 0 ? 0 : ticks);
    }

    public void WriteGuid(Guid value) => value.TryWriteBytes(Grow(16));

    public void WriteByteString(ReadOnlySpan<byte> value, bool isNull = false)
    {
        if (isNull)
        {
            WriteInt32(-1);
            return;
        }

        WriteInt32(value.Length);
        WriteBytes(value);
    }

    public void WriteByteString(byte[]? value) => WriteByteString(value, value is null);

    public void WriteXmlElement(XmlElement? value) => WriteString(value?.Xml);

    public void WriteNodeId(NodeId? value) => WriteNodeId(value ?? NodeId.Null, 0);

    private void WriteNodeId(NodeId value, byte flags)
    {
        switch (value.IdType)
        {
            case NodeIdType.Numeric when value.NamespaceIndex == 0 && value.Numeric <= byte.MaxValue:
                WriteByte(flags);
                WriteByte((byte)value.Numeric);
                break;
            case NodeIdType.Numeric when value.NamespaceIndex <= byte.MaxValue && value.Numeric <= ushort.MaxValue:
                WriteByte((byte)(1 | flags));
                WriteByte((byte)value.NamespaceIndex);
                WriteUInt16((ushort)value.Numeric);
                break;
            case NodeIdType.Numeric:
                WriteByte((byte)(2 | flags));
                WriteUInt16(value.NamespaceIndex);
                WriteUInt32(value.Numeric);
                break;
            case NodeIdType.String:
                WriteByte((byte)(3 | flags));
                WriteUInt16(value.NamespaceIndex);
                WriteString(value.StringId);
                break;
            case NodeIdType.Guid:
                WriteByte((byte)(4 | flags));
                WriteUInt16(value.NamespaceIndex);
                WriteGuid(value.GuidId!.Value);
                break;
            default:
                WriteByte((byte)(5 | flags));
                WriteUInt16(value.NamespaceIndex);
                WriteByteString(value.OpaqueBytes);
                break;
        }
    }

    public void WriteExpandedNodeId(ExpandedNodeId? value)
    {
        value ??= ExpandedNodeId.Null;
        var flags = (byte)((value.NamespaceUri is not null ? 0x80 : 0) | (value.ServerIndex != 0 ? 0x40 : 0));
        WriteNodeId(value.NodeId, flags);
        if (value.NamespaceUri is not null)
        {
            WriteString(value.NamespaceUri);
        }

        if (value.ServerIndex != 0)
        {
            WriteUInt32(value.ServerIndex);
        }
    }

    public void WriteStatusCode(StatusCode value) => WriteUInt32(value.Code);

    public void WriteQualifiedName(QualifiedName? value)
    {
        WriteUInt16(value?.NamespaceIndex ?? 0);
        WriteString(value?.Name);
    }

    public void WriteLocalizedText(LocalizedText? value)
    {
        var mask = (byte)((value?.Locale is not null ? 1 : 0) | (value?.Text is not null ? 2 : 0));
        WriteByte(mask);
        if (value?.Locale is not null)
        {
            WriteString(value.Locale);
        }

        if (value?.Text is not null)
        {
            WriteString(value.Text);
        }
    }

    public void WriteExtensionObject(ExtensionObject? value)
    {
        value ??= ExtensionObject.Null;
        if (value.Body is IUaStructure structure)
        {
            WriteStructure(structure);
            return;
        }

        WriteNodeId(value.TypeId);
        if (value.Encoding == ExtensionObjectEncoding.None || value.RawBody is null)
        {
            WriteByte(0);
            return;
        }

        WriteByte((byte)value.Encoding);
        WriteByteString(value.RawBody);
    }

    /// <summary>Writes a structure as an ExtensionObject with a binary body; null writes a null ExtensionObject.</summary>
    public void WriteStructure(IUaStructure? structure)
    {
        if (structure is null)
        {
            WriteNodeId(NodeId.Null);
            WriteByte(0);
            return;
        }

        WriteNodeId(NodeId.FromNumeric(structure.BinaryEncodingId));
        WriteByte(1);
        var lengthAt = _position;
        WriteInt32(0);
        structure.Encode(this);
        PatchUInt32(lengthAt, (uint)(_position - lengthAt - 4));
    }

    public void WriteDataValue(DataValue? value)
    {
        if (value is null)
        {
            WriteByte(0);
            return;
        }

        var mask = (byte)((value.Value.IsNull ? 0 : 0x01) | (value.Status.Code != 0 ? 0x02 : 0)
            | (value.SourceTimestamp is not null ? 0x04 : 0) | (value.ServerTimestamp is not null ? 0x08 : 0)
            | (value.SourcePicoseconds != 0 ? 0x10 : 0) | (value.ServerPicoseconds != 0 ? 0x20 : 0));
        WriteByte(mask);
        if ((mask & 0x01) != 0)
        {
            WriteVariant(value.Value);
        }

        if ((mask & 0x02) != 0)
        {
            WriteStatusCode(value.Status);
        }

        if (value.SourceTimestamp is { } source)
        {
            WriteDateTime(source);
        }

        if ((mask & 0x10) != 0)
        {
            WriteUInt16(value.SourcePicoseconds);
        }

        if (value.ServerTimestamp is { } server)
        {
            WriteDateTime(server);
        }

        if ((mask & 0x20) != 0)
        {
            WriteUInt16(value.ServerPicoseconds);
        }
    }

    public void WriteDiagnosticInfo(DiagnosticInfo? value)
    {
        if (value is null)
        {
            WriteByte(0);
            return;
        }

        var mask = (byte)((value.SymbolicId is not null ? 0x01 : 0) | (value.NamespaceUri is not null ? 0x02 : 0)
            | (value.LocalizedText is not null ? 0x04 : 0) | (value.Locale is not null ? 0x08 : 0)
            | (value.AdditionalInfo is not null ? 0x10 : 0) | (value.InnerStatusCode is not null ? 0x20 : 0)
            | (value.InnerDiagnosticInfo is not null ? 0x40 : 0));
        WriteByte(mask);
        if (value.SymbolicId is { } s)
        {
            WriteInt32(s);
        }

        if (value.NamespaceUri is { } n)
        {
            WriteInt32(n);
        }

        if (value.Locale is { } l)
        {
            WriteInt32(l);
        }

        if (value.LocalizedText is { } t)
        {
            WriteInt32(t);
        }

        if (value.AdditionalInfo is not null)
        {
            WriteString(value.AdditionalInfo);
        }

        if (value.InnerStatusCode is { } code)
        {
            WriteStatusCode(code);
        }

        if (value.InnerDiagnosticInfo is not null)
        {
            WriteDiagnosticInfo(value.InnerDiagnosticInfo);
        }
    }

    public void WriteArray<T>(IReadOnlyList<T>? items, Action<UaBinaryWriter, T> write)
    {
        if (items is null)
        {
            WriteInt32(-1);
            return;
        }

        WriteInt32(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            write(this, items[i]);
        }
    }

    public void WriteVariant(Variant value)
    {
        if (value.IsNull)
        {
            WriteByte(0);
            return;
        }

        var type = value.Type;
        if (!value.IsArray)
        {
            WriteByte((byte)type);
            WriteScalar(type, value.Value);
            return;
        }

        var array = (Array)value.Value!;
        var dims = value.ArrayDimensions;
        WriteByte((byte)((byte)type | 0x80 | (dims is not null ? 0x40 : 0)));
        WriteInt32(array.Length);
        if (array is byte[] bytes && type == BuiltInType.Byte)
        {
            WriteBytes(bytes);
        }
        else
        {
            foreach (var item in array)
            {
                WriteScalar(type, item);
            }
        }

        if (dims is not null)
        {
            WriteInt32(dims.Count);
            foreach (var d in dims)
            {
                WriteInt32(d);
            }
        }
    }

    private void WriteScalar(BuiltInType type, object? value)
    {
        switch (type)
        {
            case BuiltInType.Boolean: WriteBoolean((bool)value!); break;
            case BuiltInType.SByte: WriteSByte((sbyte)value!); break;
            case BuiltInType.Byte: WriteByte((byte)value!); break;
            case BuiltInType.Int16: WriteInt16((short)value!); break;
            case BuiltInType.UInt16: WriteUInt16((ushort)value!); break;
            case BuiltInType.Int32: WriteInt32((int)value!); break;
            case BuiltInType.UInt32: WriteUInt32((uint)value!); break;
            case BuiltInType.Int64: WriteInt64((long)value!); break;
            case BuiltInType.UInt64: WriteUInt64((ulong)value!); break;
            case BuiltInType.Float: WriteFloat((float)value!); break;
            case BuiltInType.Double: WriteDouble((double)value!); break;
            case BuiltInType.String: WriteString((string?)value); break;
            case BuiltInType.DateTime: WriteDateTime((DateTime)value!); break;
            case BuiltInType.Guid: WriteGuid((Guid)value!); break;
            case BuiltInType.ByteString: WriteByteString((byte[]?)value); break;
            case BuiltInType.XmlElement: WriteXmlElement((XmlElement?)value); break;
            case BuiltInType.NodeId: WriteNodeId((NodeId?)value); break;
            case BuiltInType.ExpandedNodeId: WriteExpandedNodeId((ExpandedNodeId?)value); break;
            case BuiltInType.StatusCode: WriteStatusCode((StatusCode)value!); break;
            case BuiltInType.QualifiedName: WriteQualifiedName((QualifiedName?)value); break;
            case BuiltInType.LocalizedText: WriteLocalizedText((LocalizedText?)value); break;
            case BuiltInType.ExtensionObject: WriteExtensionObject((ExtensionObject?)value); break;
            case BuiltInType.DataValue: WriteDataValue((DataValue?)value); break;
            case BuiltInType.Variant: WriteVariant(value is Variant v ? v : Variant.Null); break;
            case BuiltInType.DiagnosticInfo: WriteDiagnosticInfo((DiagnosticInfo?)value); break;
            default: throw new InvalidOperationException($"Cannot encode a value of type {type}.");
        }
    }
}
