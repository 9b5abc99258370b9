using EdgeOps.Core.Signals;
using EdgeOps.Sources.OpcUa;

namespace EdgeOps.Gateway.Configuration.OpcUa;

/// <summary>One OPC UA source (one session) per configured endpoint that at least one signal uses.</summary>
internal static class OpcUaHostWiring
{
    public static void AddSources(Hosting.SourceSet sources, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var catalog = services.GetRequiredService<SignalCatalog>();
        var used = catalog.All
            .Select(s => s.Definition.Source)
            .OfType<EdgeOps.Core.Model.OpcUaBinding>()
            .Select(b => b.Endpoint)
            .ToHashSet(StringComparer.Ordinal);
        OpcUaSecurityContext? security = null;
        foreach (var endpoint in catalog.Line.Sources.OpcUa?.Endpoints ?? [])
        {
            if (used.Contains(endpoint.Name))
            {
                security ??= SecurityContext(services, sources.Clock);
                sources.Add(new OpcUaSignalSource(endpoint, catalog,
                    services.GetRequiredService<ILogger<OpcUaSignalSource>>(), sources.Clock, security: security));
            }
        }
    }

    /// <summary>
    /// The PKI lives in {DataDirectory}/pki. Our certificate is the one <c>EdgeOps:OpcUa:Certificate</c> names (checked
    /// at start by <see cref="OpcUaOptionsValidator"/>), else the one created there on first start (valid
    /// <c>EdgeOps:OpcUa:CertificateValidity</c>, 5 years: it is self-signed and each server trusts it once; renew it by
    /// deleting own/ and trusting the new one).
    /// </summary>
    public static OpcUaSecurityContext SecurityContext(IServiceProvider services, TimeProvider clock)
    {
        var dataDirectory = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Hosting.GatewayOptions>>().Value.DataDirectory;
        var options = services.GetService<Microsoft.Extensions.Options.IOptions<OpcUaOptions>>()?.Value ?? new OpcUaOptions();
        var pki = new EdgeOps.OpcUa.Security.PkiStore(Path.Combine(dataDirectory, "pki"));
        if (!string.IsNullOrWhiteSpace(options.Certificate))
        {
            pki.EnsureLayout();
            return new OpcUaSecurityContext(pki, OpcUaOptionsValidator.Load(options));
        }

        return new OpcUaSecurityContext(pki, EdgeOps.OpcUa.Security.ApplicationCertificate.LoadOrCreate(pki, options.CertificateValidity, clock));
    }
}
