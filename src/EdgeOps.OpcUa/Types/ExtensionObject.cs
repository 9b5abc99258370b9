namespace EdgeOps.OpcUa.Types;

/// <summary>How an <see cref="ExtensionObject"/> body is encoded.</summary>
public enum ExtensionObjectEncoding : byte
{
    /// <summary>No body.</summary>
    None = 0,
    /// <summary>OPC UA Binary body.</summary>
    Binary = 1,
    /// <summary>XML body.</summary>
    Xml = 2,
}

/// <summary>
/// A structure wrapped with its encoding id (Part 6 §5.2.2.15). Types this client knows are decoded into
/// <see cref="Body"/>; unknown types keep their raw bytes in <see cref="RawBody"/> so one strange structure never
/// fails a whole message.
/// </summary>
public sealed class ExtensionObject
{
    /// <summary>Wraps raw bytes.</summary>
    /// <param name="typeId">The encoding id (…_Encoding_DefaultBinary).</param>
    /// <param name="encoding">How the bytes are encoded.</param>
    /// <param name="rawBody">The body bytes.</param>
    public ExtensionObject(NodeId typeId, ExtensionObjectEncoding encoding, byte[]? rawBody)
    {
        TypeId = typeId ?? throw new ArgumentNullException(nameof(typeId));
        Encoding = encoding;
        RawBody = rawBody;
    }

    internal ExtensionObject(NodeId typeId, object body)
    {
        TypeId = typeId;
        Encoding = ExtensionObjectEncoding.Binary;
        Body = body;
    }

    /// <summary>The null ExtensionObject.</summary>
    public static ExtensionObject Null { get; } = new(NodeId.Null, ExtensionObjectEncoding.None, null);

    /// <summary>The encoding id of the body.</summary>
    public NodeId TypeId { get; }

    /// <summary>How the body is encoded.</summary>
    public ExtensionObjectEncoding Encoding { get; }

    /// <summary>The undecoded body (unknown types), or null.</summary>
    public byte[]? RawBody { get; }

    /// <summary>The decoded body (types this client knows), or null.</summary>
    public object? Body { get; }

    /// <summary>Why a known type's body did not decode, or null; the raw bytes are kept.</summary>
    public string? DecodeError { get; init; }

    /// <inheritdoc />
    public override string ToString() => Body?.ToString() ?? $"ExtensionObject({TypeId}, {RawBody?.Length ?? 0} bytes)";
}
