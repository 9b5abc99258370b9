namespace EdgeOps.Historian.Mqtt;

/// <summary>How <see cref="MqttSubscriberConnection"/> connects: MQTT 5 over TCP, one persistent session.</summary>
public sealed record MqttSubscriberSettings
{
    public required string Host { get; init; }

    public required int Port { get; init; }

    public required string ClientId { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>False resumes the session the broker keeps for <see cref="ClientId"/> (and what it queued meanwhile).</summary>
    public bool CleanStart { get; init; }

    /// <summary>How long the broker keeps the session after the connection ends (MQTT 5 Session Expiry Interval).</summary>
    public TimeSpan SessionExpiry { get; init; } = TimeSpan.Zero;

    /// <summary>QoS 1 messages the broker may send before waiting for acknowledgements (MQTT 5 Receive Maximum).</summary>
    public int ReceiveMaximum { get; init; } = 65_535;

    /// <summary>
    /// Largest packet this client accepts (MQTT 5 Maximum Packet Size): the broker must not send a bigger one, and the
    /// read buffer never grows past it; a bigger packet ends the connection (a protocol error; the caller reconnects).
    /// </summary>
    public int MaximumPacketSize { get; init; } = 1024 * 1024;

    /// <summary>The client pings when it has sent nothing for half this long; the broker's Server Keep Alive overrides it.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>TLS to the broker (SslStream over the TCP connection); null for plain TCP.</summary>
    public System.Net.Security.SslClientAuthenticationOptions? Tls { get; init; }

    /// <summary>Longest wait for the TCP connection, the TLS handshake and the CONNACK, and for a SUBACK.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock the keep-alive reads (when the last packet went out and came in).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
