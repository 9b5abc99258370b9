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
        foreach (var endpoint in catalog.Line.Sources.OpcUa?.Endpoints ?? [])
        {
            if (used.Contains(endpoint.Name))
            {
                sources.Add(new OpcUaSignalSource(endpoint, catalog,
                    services.GetRequiredService<ILogger<OpcUaSignalSource>>(), sources.Clock));
            }
        }
    }
}
