namespace EdgeOps.Contract;

/// <summary>
/// TLS to the contract's broker: the settings of the gateway's publisher (<c>EdgeOps:Mqtt:Tls</c>) and of the historian's
/// subscriber (<c>Historian:Mqtt:Tls</c>), checked the same way by <see cref="BrokerTls"/>.
/// </summary>
public sealed record MqttTlsOptions
{
    /// <summary>PEM file of the CA that signed the broker's certificate (the system store when null).</summary>
    public string? CaFile { get; set; }

    /// <summary>PEM client certificate, when the broker asks for one.</summary>
    public string? ClientCertificateFile { get; set; }

    /// <summary>PEM private key of the client certificate.</summary>
    public string? ClientKeyFile { get; set; }

    /// <summary>
    /// SHA-256 fingerprint (hex, colons allowed) of the broker certificate: when set, only that certificate is accepted
    /// (it must still chain to the CA if one is given).
    /// </summary>
    public string? PinnedCertificateSha256 { get; set; }

    /// <summary>Name checked against the broker certificate; defaults to the broker's host.</summary>
    public string? TargetHost { get; set; }
}
