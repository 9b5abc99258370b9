using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.OpcUa.Security;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace EdgeOps.Sources.OpcUa;

/// <summary>
/// One OPC UA source (one session) per configured endpoint that at least one signal uses, all sharing the gateway's
/// application certificate from the PKI in <paramref name="pkiDirectory"/>; their instruments on the host's
/// <paramref name="meters"/> (none without a host).
/// </summary>
public sealed class OpcUaSourceFactory(ILoggerFactory loggers, string pkiDirectory, IMeterFactory? meters = null) : ISignalSourceFactory
{
    /// <summary>
    /// Self-signed, so each server trusts it once; five years, so that is rare. Renew it by deleting own/ and trusting
    /// the new one.
    /// </summary>
    private static readonly TimeSpan CertificateLifetime = TimeSpan.FromDays(5 * 365);

    public IEnumerable<ISignalSource> Create(SignalCatalog catalog, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var used = catalog.All
            .Select(s => s.Definition.Source)
            .OfType<OpcUaBinding>()
            .Select(b => b.Endpoint)
            .ToHashSet(StringComparer.Ordinal);
        var endpoints = (catalog.Line.Sources.OpcUa?.Endpoints ?? []).Where(e => used.Contains(e.Name)).ToList();
        if (endpoints.Count == 0)
        {
            // No certificate is made for a line without OPC UA: the PKI folder appears only where it is used.
            return [];
        }

        var pki = new PkiStore(pkiDirectory);
        var security = new OpcUaSecurityContext(pki, ApplicationCertificate.LoadOrCreate(pki, CertificateLifetime, clock));
        return endpoints
            .Select(endpoint => new OpcUaSignalSource(endpoint, catalog, loggers.CreateLogger<OpcUaSignalSource>(), clock, security: security, meters: meters))
            .ToList();
    }
}
