namespace EdgeOps.OpcUa.Client;

/// <summary>The link between an <see cref="OpcUaClient"/> and its server.</summary>
public enum ConnectionState
{
    /// <summary>Not connected yet, or disposed.</summary>
    Disconnected,
    /// <summary>Session active; values flow.</summary>
    Connected,
    /// <summary>The link was lost; the client is reconnecting (forever, with backoff).</summary>
    Reconnecting,
}

/// <summary>A change of <see cref="ConnectionState"/>, with the reason when it is a loss.</summary>
/// <param name="State">The new state.</param>
/// <param name="Reason">Why the link was lost or a reconnect attempt failed; null otherwise.</param>
/// <param name="Detail">What happened, for logs (e.g. "session reactivated", "subscriptions recreated").</param>
public sealed record ConnectionStateChange(ConnectionState State, Exception? Reason, string Detail);
