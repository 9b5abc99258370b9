namespace EdgeOps.OpcUa.Encoding;

/// <summary>
/// Upper bounds the decoder enforces on every length it reads from the wire, before it allocates anything.
/// Every length is also checked against the bytes that remain in the message, so a message can never make the
/// decoder allocate much more than its own size.
/// </summary>
public sealed record DecodingLimits
{
    /// <summary>The defaults: 16 MB messages, 1 M characters per string, 16 MB byte strings, 1 M array elements, 2 M elements per message, depth 32.</summary>
    public static DecodingLimits Default { get; } = new();

    /// <summary>Largest message (all chunks together) accepted, in bytes.</summary>
    public int MaxMessageSize { get; init; } = 16 * 1024 * 1024;

    /// <summary>Longest string accepted, in UTF-8 bytes.</summary>
    public int MaxStringLength { get; init; } = 1024 * 1024;

    /// <summary>Longest byte string accepted.</summary>
    public int MaxByteStringLength { get; init; } = 16 * 1024 * 1024;

    /// <summary>Most array elements accepted (for matrices: in total).</summary>
    public int MaxArrayLength { get; init; } = 1024 * 1024;

    /// <summary>
    /// Most array elements in one message, all arrays together: arrays nested in arrays, variants and extension objects
    /// share this one budget, so no shape of a message that fits <see cref="MaxMessageSize"/> becomes more than this
    /// many objects (a null DataValue is one byte on the wire and an object in memory). Arrays of fixed-size numbers
    /// (Boolean … Double, DateTime, StatusCode) do not count: they take no more memory than bytes on the wire.
    /// Default 2 M (twice <see cref="MaxArrayLength"/>, so a largest single array always fits).
    /// </summary>
    public int MaxElementsPerMessage { get; init; } = 2 * 1024 * 1024;

    /// <summary>Deepest nesting of variants, data values, extension objects and diagnostic infos.</summary>
    public int MaxNestingDepth { get; init; } = 32;
}
