using EdgeOps.OpcUa.Encoding;

namespace EdgeOps.OpcUa.Client;

/// <summary>How an <see cref="OpcUaClient"/> connects, authenticates and recovers.</summary>
public sealed record OpcUaClientOptions
{
    /// <summary>The server endpoint, e.g. <c>opc.tcp://plc1:4840</c>.</summary>
    public required string EndpointUrl { get; init; }

    /// <summary>User name; null connects anonymously.</summary>
    public string? UserName { get; init; }

    /// <summary>Password for <see cref="UserName"/>; encrypted with the server certificate when the token policy asks.</summary>
    public string? Password { get; init; }

    /// <summary>Application name sent in CreateSession.</summary>
    public string ApplicationName { get; init; } = "EdgeOps";

    /// <summary>Application URI sent in CreateSession.</summary>
    public string ApplicationUri { get; init; } = "urn:edgeops:gateway";

    /// <summary>Session name shown in the server's diagnostics.</summary>
    public string SessionName { get; init; } = "EdgeOps";

    /// <summary>Requested session timeout; the server may revise it.</summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Timeout of one service call.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Requested secure channel token lifetime; renewed at 75 % of what the server grants.</summary>
    public TimeSpan SecureChannelLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>First delay between reconnect attempts; doubles up to <see cref="ReconnectMaxDelay"/>. Retries forever.</summary>
    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest delay between reconnect attempts (5 s: a restarted PLC is back in use within seconds; abandoned sessions are closed, so retries never pile up sessions).</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Publish requests kept in flight per session (lowered when the server says too many).</summary>
    public int PublishRequestCount { get; init; } = 5;

    /// <summary>Limits applied to everything decoded from the wire.</summary>
    public DecodingLimits DecodingLimits { get; init; } = DecodingLimits.Default;
}
