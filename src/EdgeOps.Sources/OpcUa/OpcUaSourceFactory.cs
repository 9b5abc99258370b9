using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.OpcUa.Security;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace EdgeOps.Sources.OpcUa;

/// <summary>
/// Where the gateway's OPC UA application certificate comes from: an administrator's file (a PFX, or a PEM/DER
/// certificate with its PEM key, and the password of either), or, without one, the self-signed certificate created in
/// the PKI's own/ folder, valid <see cref="Validity"/>.
/// </summary>
/// <param name="Certificate">The PFX or PEM/DER file; null for the created certificate.</param>
/// <param name="PrivateKey">The PEM key of a PEM/DER certificate (null: in the same PEM file).</param>
/// <param name="Password">The PFX's or the encrypted key's password.</param>
/// <param name="Validity">Validity of the created certificate (null: five years).</param>
public sealed record OpcUaCertificateSettings(string? Certificate = null, string? PrivateKey = null, string? Password = null, TimeSpan? Validity = null)
{
    /// <summary>Hides the password from logs and debuggers that print records.</summary>
    public override string ToString() => $"OpcUaCertificateSettings {{ Certificate = {Certificate ?? "(created)"}, PrivateKey = {PrivateKey}, Validity = {Validity} }}";
}

/// <summary>
/// One OPC UA source (one session) per configured endpoint that at least one signal uses, all sharing the gateway's
/// application certificate (<paramref name="certificate"/>, by default the one created in the PKI in
/// <paramref name="pkiDirectory"/>); their instruments on the host's <paramref name="meters"/> (none without a host).
/// </summary>
public sealed class OpcUaSourceFactory(ILoggerFactory loggers, string pkiDirectory, IMeterFactory? meters = null,
    OpcUaCertificateSettings? certificate = null) : ISignalSourceFactory
{
    /// <summary>
    /// Self-signed, so each server trusts it once; five years, so that is rare. Renew it by deleting own/ and trusting
    /// the new one.
    /// </summary>
    private static readonly TimeSpan CertificateLifetime = TimeSpan.FromDays(5 * 365);

    public IEnumerable<ISignalSource> Create(SignalCatalog catalog, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var used = SourceBindings.UsedConnections<OpcUaBinding>(catalog, b => b.Endpoint);
        var endpoints = (catalog.Line.Sources.OpcUa?.Endpoints ?? []).Where(e => used.Contains(e.Name)).ToList();
        if (endpoints.Count == 0)
        {
            // No certificate is made for a line without OPC UA: the PKI folder appears only where it is used.
            return [];
        }

        var pki = new PkiStore(pkiDirectory);
        var security = new OpcUaSecurityContext(pki, LoadCertificate(pki, certificate, clock));
        return endpoints
            .Select(endpoint => new OpcUaSignalSource(endpoint, catalog, loggers.CreateLogger<OpcUaSignalSource>(), clock, security: security, meters: meters))
            .ToList();
    }

    /// <summary>The application certificate <paramref name="settings"/> name, or the one created (once) in <paramref name="pki"/>.</summary>
    public static ApplicationCertificate LoadCertificate(PkiStore pki, OpcUaCertificateSettings? settings, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(pki);
        if (settings?.Certificate is { Length: > 0 } file)
        {
            // trusted/, issuers/ and rejected/ are still needed; own/ stays empty.
            pki.EnsureLayout();
            return ApplicationCertificate.Load(file, string.IsNullOrWhiteSpace(settings.PrivateKey) ? null : settings.PrivateKey,
                string.IsNullOrEmpty(settings.Password) ? null : settings.Password);
        }

        return ApplicationCertificate.LoadOrCreate(pki, settings?.Validity ?? CertificateLifetime, clock);
    }
}
