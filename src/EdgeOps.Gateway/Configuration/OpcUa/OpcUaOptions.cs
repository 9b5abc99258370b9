namespace EdgeOps.Gateway.Configuration.OpcUa;

/// <summary>
/// The gateway's OPC UA application instance certificate (<c>EdgeOps:OpcUa</c>). Without <see cref="Certificate"/> the
/// gateway creates a self-signed one under <c>{DataDirectory}/pki/own</c> on first start; with it, an administrator's
/// certificate (issued by the plant's CA, so PLCs that trust the CA need no per-gateway step) is used instead.
/// </summary>
public sealed class OpcUaOptions
{
    /// <summary>The section these options bind.</summary>
    public const string Section = "EdgeOps:OpcUa";

    /// <summary>
    /// A PFX/PKCS#12 file (<c>.pfx</c>, <c>.p12</c>) holding certificate and key, or a PEM/DER certificate whose key is
    /// in <see cref="PrivateKey"/> (or in the same PEM file). Its SubjectAltName URI becomes the ApplicationUri.
    /// </summary>
    public string? Certificate { get; set; }

    /// <summary>The PEM private key of a PEM/DER <see cref="Certificate"/> (PKCS#1, PKCS#8, or encrypted PKCS#8).</summary>
    public string? PrivateKey { get; set; }

    /// <summary>
    /// The password of the PFX or of the encrypted PEM key. Set it in the environment
    /// (<c>EdgeOps__OpcUa__CertificatePassword</c> in /etc/edgeops/edgeops.env), never in a file in the repository; it is
    /// never logged or shown in an error.
    /// </summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Validity of the self-signed certificate created when <see cref="Certificate"/> is not set (default 5 years).</summary>
    public TimeSpan CertificateValidity { get; set; } = TimeSpan.FromDays(5 * 365);

    /// <summary>What the OPC UA source factory needs of these settings.</summary>
    public EdgeOps.Sources.OpcUa.OpcUaCertificateSettings ToCertificateSettings() => new(
        string.IsNullOrWhiteSpace(Certificate) ? null : Certificate, PrivateKey, CertificatePassword, CertificateValidity);
}
