namespace EdgeOps.TestSupport.Mosquitto;

/// <summary>How a test's Mosquitto is configured. Default: anonymous, plain TCP, persistence on.</summary>
public sealed record MosquittoOptions
{
    /// <summary>Users and passwords; when any, anonymous access is off.</summary>
    public IReadOnlyDictionary<string, string> Users { get; init; } = new Dictionary<string, string>();

    /// <summary>TLS files; null for plain TCP.</summary>
    public TestCertificates? Tls { get; init; }

    /// <summary>Ask for and verify a client certificate (TLS only).</summary>
    public bool RequireClientCertificate { get; init; }

    /// <summary>
    /// <c>max_inflight_messages</c>: QoS 1 messages in flight to one client; null keeps Mosquitto's default (20), 0 is
    /// unlimited, as docs/historian.md asks of a broker feeding a historian.
    /// </summary>
    public int? MaxInflightMessages { get; init; }
}
