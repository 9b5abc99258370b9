using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa;

/// <summary>
/// A service, the secure channel or the connection failed with an OPC UA status. The message names the service
/// (and the node, where there is one) and the status symbol, e.g. "ActivateSession failed: BadUserAccessDenied".
/// </summary>
public sealed class OpcUaException : Exception
{
    /// <summary>Creates the exception.</summary>
    public OpcUaException(StatusCode status, string message, Exception? innerException = null)
        : base(message, innerException) => Status = status;

    /// <summary>Creates the exception.</summary>
    public OpcUaException()
        : this(StatusCode.BadUnexpectedError, "OPC UA error.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public OpcUaException(string message)
        : this(StatusCode.BadUnexpectedError, message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public OpcUaException(string message, Exception innerException)
        : this(StatusCode.BadUnexpectedError, message, innerException)
    {
    }

    /// <summary>The status the server or the stack reported.</summary>
    public StatusCode Status { get; }
}
