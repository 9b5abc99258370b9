using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Encoding;

/// <summary>
/// Bytes from the wire did not form a valid OPC UA message, or exceeded a decoding limit. The message says what
/// and at which offset; <see cref="Status"/> is Bad_DecodingError or Bad_EncodingLimitsExceeded.
/// </summary>
public sealed class UaDecodingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UaDecodingException(StatusCode status, string message)
        : base(message) => Status = status;

    /// <summary>Creates the exception with a generic message.</summary>
    public UaDecodingException()
        : this(StatusCode.BadDecodingError, "Decoding error.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public UaDecodingException(string message)
        : this(StatusCode.BadDecodingError, message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public UaDecodingException(string message, Exception innerException)
        : base(message, innerException) => Status = StatusCode.BadDecodingError;

    /// <summary>Bad_DecodingError or Bad_EncodingLimitsExceeded.</summary>
    public StatusCode Status { get; }
}
