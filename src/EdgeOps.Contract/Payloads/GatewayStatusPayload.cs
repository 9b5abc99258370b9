namespace EdgeOps.Contract.Payloads;

/// <summary>
/// <c>edgeops/v1/{site}/_gateways/{gatewayId}/status</c>, retained: <c>online</c> (birth, on every connect) or
/// <c>offline</c> (the last will, which the broker publishes when the gateway vanishes or stops).
/// </summary>
public sealed record GatewayStatusPayload : PayloadBase
{
    /// <inheritdoc />
    public override string Schema => PayloadSchemas.Status;

    /// <summary>Gateway id (also the MQTT client id).</summary>
    public required string GatewayId { get; init; }

    /// <summary>online or offline.</summary>
    public required string State { get; init; }

    /// <summary>Gateway version.</summary>
    public required string Version { get; init; }

    /// <summary>Process start time.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Seconds since start when the message was made (for the will: when the session began).</summary>
    public required double UptimeS { get; init; }

    /// <summary>Hash of the loaded configuration, to tell which config a gateway runs.</summary>
    public required string ConfigHash { get; init; }

    /// <summary>
    /// The broker the gateway publishes to: <c>embedded</c> (its own, on loopback) or <c>mqtt://host:port</c> /
    /// <c>mqtts://host:port</c>. Null from gateways older than the field.
    /// </summary>
    public string? Broker { get; init; }
}
