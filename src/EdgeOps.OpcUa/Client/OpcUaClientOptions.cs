using EdgeOps.OpcUa.Encoding;
using EdgeOps.OpcUa.Security;

namespace EdgeOps.OpcUa.Client;

/// <summary>How an <see cref="OpcUaClient"/> connects, authenticates and recovers.</summary>
public sealed record OpcUaClientOptions
{
    /// <summary>The server endpoint, e.g. <c>opc.tcp://plc1:4840</c>.</summary>
    public required string EndpointUrl { get; set; }

    /// <summary>User name; null connects anonymously.</summary>
    public string? UserName { get; set; }

    /// <summary>Password for <see cref="UserName"/>; encrypted with the server certificate when the token policy asks.</summary>
    public string? Password { get; set; }

    /// <summary>Application name sent in CreateSession.</summary>
    public string ApplicationName { get; set; } = "EdgeOps";

    /// <summary>Application URI sent in CreateSession.</summary>
    public string ApplicationUri { get; set; } = "urn:edgeops:gateway";

    /// <summary>Session name shown in the server's diagnostics.</summary>
    public string SessionName { get; set; } = "EdgeOps";

    /// <summary>Requested session timeout; the server may revise it.</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Timeout of one service call.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Requested secure channel token lifetime; renewed at 75 % of what the server grants.</summary>
    public TimeSpan SecureChannelLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>First delay between reconnect attempts; doubles up to <see cref="ReconnectMaxDelay"/>. Retries forever.</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest delay between reconnect attempts (5 s: a restarted PLC is back in use within seconds; abandoned sessions are closed, so retries never pile up sessions).</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Publish requests kept in flight per session (lowered when the server says too many).</summary>
    public int PublishRequestCount { get; set; } = 5;

    /// <summary>
    /// Message security to use; null picks the most secure the server offers and we support (SignAndEncrypt before
    /// Sign before None; None only when the server offers nothing else or no certificate is configured).
    /// </summary>
    public MessageSecurity? SecurityMode { get; set; }

    /// <summary>Security policy (short name or URI) to use; null picks the strongest the server offers for the mode.</summary>
    public string? SecurityPolicy { get; set; }

    /// <summary>Our application instance certificate; required for Sign and SignAndEncrypt. Its SubjectAltName URI is the ApplicationUri sent.</summary>
    public ApplicationCertificate? Certificate { get; set; }

    /// <summary>The certificate store that decides which server certificates are trusted (and receives rejected ones).</summary>
    public PkiStore? Pki { get; set; }

    /// <summary>Accept exactly the server certificate with this SHA-1 thumbprint (hex) and no other.</summary>
    public string? ServerCertificateThumbprint { get; set; }

    /// <summary>Check that the host in the endpoint URL is a DNS name or IP address of the server certificate.</summary>
    public bool CheckServerHostName { get; set; } = true;

    /// <summary>Allow a password to travel unencrypted (token policy None on a channel without encryption). Off by default.</summary>
    public bool AllowPlaintextPassword { get; set; }

    /// <summary>Allow the deprecated Basic128Rsa15 policy for the password (SHA-1, PKCS#1 v1.5). Off by default.</summary>
    public bool AllowBasic128Rsa15 { get; set; }

    /// <summary>A user certificate (with private key) for an X509 identity token; used instead of a user name when set.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? UserCertificate { get; set; }

    /// <summary>Limits applied to everything decoded from the wire.</summary>
    public DecodingLimits DecodingLimits { get; set; } = DecodingLimits.Default;

    /// <summary>
    /// Where the client's instruments come from (the host's <c>IMeterFactory</c>); null measures nothing. With it, every
    /// service call's round trip is recorded on <see cref="OpcUaClient.MeterName"/> as <c>edgeops.opcua.request_duration</c>
    /// (seconds, tagged <c>endpoint</c> and <c>service</c>).
    /// </summary>
    public System.Diagnostics.Metrics.IMeterFactory? MeterFactory { get; set; }
}
