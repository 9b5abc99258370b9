using System.Globalization;

namespace EdgeOps.OpcUa.Types;

/// <summary>Which kind of identifier a <see cref="NodeId"/> carries.</summary>
public enum NodeIdType : byte
{
    /// <summary>A 32-bit number (<c>i=</c>).</summary>
    Numeric = 0,
    /// <summary>A string (<c>s=</c>).</summary>
    String = 1,
    /// <summary>A Guid (<c>g=</c>).</summary>
    Guid = 2,
    /// <summary>An opaque byte string (<c>b=</c>, base64).</summary>
    Opaque = 3,
}

/// <summary>
/// Identifies a node in a server's address space: a namespace index (server-local, see NamespaceArray) and an
/// identifier. Immutable; equal when namespace and identifier are equal. Text form as in Part 6 §5.3.1.10:
/// <c>ns=2;s=Plc.PartCount</c>, <c>i=2255</c>, <c>ns=1;g=…</c>, <c>ns=1;b=base64</c>.
/// </summary>
public sealed class NodeId : IEquatable<NodeId>
{
    private NodeId(ushort namespaceIndex, NodeIdType type, uint numeric, object? identifier)
    {
        NamespaceIndex = namespaceIndex;
        IdType = type;
        Numeric = numeric;
        _identifier = identifier;
    }

    private readonly object? _identifier;

    /// <summary>The null NodeId (ns=0;i=0).</summary>
    public static NodeId Null { get; } = new(0, NodeIdType.Numeric, 0, null);

    /// <summary>The namespace index.</summary>
    public ushort NamespaceIndex { get; }

    /// <summary>The identifier kind.</summary>
    public NodeIdType IdType { get; }

    /// <summary>The numeric identifier (0 unless <see cref="IdType"/> is Numeric).</summary>
    public uint Numeric { get; }

    /// <summary>The string identifier, or null.</summary>
    public string? StringId => _identifier as string;

    /// <summary>The Guid identifier, or null.</summary>
    public Guid? GuidId => _identifier is Guid g ? g : null;

    /// <summary>The opaque identifier, or null.</summary>
    public IReadOnlyList<byte>? OpaqueId => _identifier as byte[];

    internal byte[]? OpaqueBytes => _identifier as byte[];

    /// <summary>True for ns=0;i=0.</summary>
    public bool IsNull => IdType == NodeIdType.Numeric && Numeric == 0 && NamespaceIndex == 0;

    /// <summary>A numeric NodeId.</summary>
    public static NodeId FromNumeric(uint id, ushort namespaceIndex = 0) =>
        id == 0 && namespaceIndex == 0 ? Null : new(namespaceIndex, NodeIdType.Numeric, id, null);

    /// <summary>A string NodeId.</summary>
    public static NodeId FromString(string id, ushort namespaceIndex) =>
        new(namespaceIndex, NodeIdType.String, 0, id ?? throw new ArgumentNullException(nameof(id)));

    /// <summary>A Guid NodeId.</summary>
    public static NodeId FromGuid(Guid id, ushort namespaceIndex) => new(namespaceIndex, NodeIdType.Guid, 0, id);

    /// <summary>An opaque NodeId; the bytes are copied.</summary>
    public static NodeId FromOpaque(ReadOnlySpan<byte> id, ushort namespaceIndex) =>
        new(namespaceIndex, NodeIdType.Opaque, 0, id.ToArray());

    internal static NodeId FromOpaqueOwned(byte[] id, ushort namespaceIndex) => new(namespaceIndex, NodeIdType.Opaque, 0, id);

    /// <summary>Parses the text form; throws <see cref="FormatException"/> naming the text when it does not parse.</summary>
    public static NodeId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var id, out var error) ? id : throw new FormatException($"NodeId '{text}': {error}");
    }

    /// <summary>Parses the text form.</summary>
    public static bool TryParse(string text, out NodeId nodeId) => TryParse(text, out nodeId, out _);

    /// <summary>Parses the text form; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? text, out NodeId nodeId, out string error)
    {
        nodeId = Null;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "empty";
            return false;
        }

        ushort ns = 0;
        var rest = text.AsSpan().Trim();
        if (rest.StartsWith("ns=", StringComparison.Ordinal))
        {
            var semi = rest.IndexOf(';');
            if (semi < 0 || !ushort.TryParse(rest[3..semi], NumberStyles.None, CultureInfo.InvariantCulture, out ns))
            {
                error = "namespace index must be 'ns=<0..65535>;'";
                return false;
            }

            rest = rest[(semi + 1)..];
        }

        if (rest.Length < 2 || rest[1] != '=')
        {
            error = "expected i=, s=, g= or b= identifier";
            return false;
        }

        var value = rest[2..];
        switch (rest[0])
        {
            case 'i':
                if (!uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                {
                    error = "numeric identifier must be 0..4294967295";
                    return false;
                }

                nodeId = FromNumeric(n, ns);
                return true;
            case 's':
                if (value.IsEmpty)
                {
                    error = "string identifier is empty";
                    return false;
                }

                nodeId = FromString(value.ToString(), ns);
                return true;
            case 'g':
                if (!Guid.TryParse(value, out var g))
                {
                    error = "guid identifier does not parse";
                    return false;
                }

                nodeId = FromGuid(g, ns);
                return true;
            case 'b':
                var buffer = new byte[value.Length];
                if (!Convert.TryFromBase64Chars(value, buffer, out var written))
                {
                    error = "opaque identifier is not base64";
                    return false;
                }

                nodeId = FromOpaqueOwned(buffer[..written], ns);
                return true;
            default:
                error = $"unknown identifier type '{rest[0]}' (expected i, s, g or b)";
                return false;
        }
    }

    /// <inheritdoc />
    public bool Equals(NodeId? other)
    {
        if (other is null || other.NamespaceIndex != NamespaceIndex || other.IdType != IdType || other.Numeric != Numeric)
        {
            return false;
        }

        return IdType switch
        {
            NodeIdType.String => string.Equals(StringId, other.StringId, StringComparison.Ordinal),
            NodeIdType.Guid => GuidId == other.GuidId,
            NodeIdType.Opaque => OpaqueBytes.AsSpan().SequenceEqual(other.OpaqueBytes),
            _ => true,
        };
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as NodeId);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(NamespaceIndex);
        hash.Add(IdType);
        hash.Add(Numeric);
        switch (IdType)
        {
            case NodeIdType.String:
                hash.Add(StringId, StringComparer.Ordinal);
                break;
            case NodeIdType.Guid:
                hash.Add(GuidId);
                break;
            case NodeIdType.Opaque:
                hash.AddBytes(OpaqueBytes);
                break;
        }

        return hash.ToHashCode();
    }

    /// <summary>Value equality.</summary>
    public static bool operator ==(NodeId? left, NodeId? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(NodeId? left, NodeId? right) => !(left == right);

    /// <inheritdoc />
    public override string ToString()
    {
        var prefix = NamespaceIndex == 0 ? string.Empty : $"ns={NamespaceIndex.ToString(CultureInfo.InvariantCulture)};";
        return IdType switch
        {
            NodeIdType.Numeric => prefix + "i=" + Numeric.ToString(CultureInfo.InvariantCulture),
            NodeIdType.String => prefix + "s=" + StringId,
            NodeIdType.Guid => prefix + "g=" + GuidId!.Value.ToString("D"),
            _ => prefix + "b=" + Convert.ToBase64String(OpaqueBytes!),
        };
    }
}
