namespace EdgeOps.OpcUa.Encoding;

/// <summary>
/// Upper bounds the decoder enforces on every length it reads from the wire, before it allocates anything.
/// Every length is also checked against the bytes that remain in the message, so a message can never make the
/// decoder allocate much more than its own size.
/// </summary>
public sealed record DecodingLimits
{
    /// <summary>The defaults: 16 MB messages, 1 M characters per string, 16 MB byte strings, 1 M array elements, depth 32.</summary>
    public static DecodingLimits Default { get; } = new();

    /// <summary>Largest message (all chunks together) accepted, in bytes.</summary>
    public int MaxMessageSize { get; init; } = 16 * 1024 * 1024;

    /// <summary>Longest string accepted, in UTF-8 bytes.</summary>
    public int MaxStringLength { get; init; } = 1024 * 1024;

    /// <summary>Longest byte string accepted.</summary>
    public int MaxByteStringLength { get; init; } = 16 * 1024 * 1024;

    /// <summary>Most array elements accepted (for matrices: in total).</summary>
    public int MaxArrayLength { get; init; } = 1024 * 1024;

    /// <summary>Deepest nesting of variants, data values, extension objects and diagnostic infos.</summary>
    public int MaxNestingDepth { get; init; } = 32;
}
