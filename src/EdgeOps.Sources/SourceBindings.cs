using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;

namespace EdgeOps.Sources;

/// <summary>What a source factory asks of a line before it makes anything: which of its kind's connections the signals use.</summary>
public static class SourceBindings
{
    /// <summary>
    /// The names (<paramref name="connection"/> of each binding: a device, an endpoint) that at least one of
    /// <paramref name="catalog"/>'s signals is bound to through a <typeparamref name="TBinding"/>. A configured
    /// connection no signal uses gets no source, so nothing connects to it.
    /// </summary>
    public static HashSet<string> UsedConnections<TBinding>(SignalCatalog catalog, Func<TBinding, string> connection)
        where TBinding : SourceBinding
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(connection);
        return catalog.All
            .Select(s => s.Definition.Source)
            .OfType<TBinding>()
            .Select(connection)
            .ToHashSet(StringComparer.Ordinal);
    }
}
