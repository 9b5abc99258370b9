using EdgeOps.Core.Signals;
using EdgeOps.Sources.OpcUa;

namespace EdgeOps.Gateway.Configuration.OpcUa;

/// <summary>One OPC UA source (one session) per configured endpoint that at least one signal uses.</summary>
internal static class OpcUaHostWiring
{
    public static void AddSources(Hosting.SourceSet sources, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var dataDirectory = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Hosting.GatewayOptions>>().Value.DataDirectory;
        foreach (var source in CreateSources(services.GetRequiredService<SignalCatalog>(), sources.Clock, services.GetRequiredService<ILoggerFactory>(), dataDirectory))
        {
            sources.Add(source);
        }
    }

    /// <summary>The sources alone (for <c>edgeops run --once</c>), with the PKI under <paramref name="dataDirectory"/>.</summary>
    public static IEnumerable<ISignalSource> CreateSources(SignalCatalog catalog, TimeProvider clock, ILoggerFactory loggers, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(loggers);
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
                security ??= SecurityContext(dataDirectory, clock);
                yield return new OpcUaSignalSource(endpoint, catalog, loggers.CreateLogger<OpcUaSignalSource>(), clock, security: security);
            }
        }
    }

    /// <summary>
    /// The PKI lives in {DataDirectory}/pki; our certificate is created there on first start (valid 5 years: it is
    /// self-signed and each server trusts it once; renew it by deleting own/ and trusting the new one).
    /// </summary>
    public static OpcUaSecurityContext SecurityContext(string dataDirectory, TimeProvider clock)
    {
        var pki = new EdgeOps.OpcUa.Security.PkiStore(Path.Combine(dataDirectory, "pki"));
        return new OpcUaSecurityContext(pki, EdgeOps.OpcUa.Security.ApplicationCertificate.LoadOrCreate(pki, TimeSpan.FromDays(5 * 365), clock));
    }
}
