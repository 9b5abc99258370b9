using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Client;

/// <summary>
/// A path of browse names from a start node, following hierarchical references, e.g. <c>Objects/Plc/PartCount</c>.
/// Names are bound to namespaces by URI, never by index: a PLC download or a server update may renumber indexes.
/// </summary>
/// <param name="StartNode">Where the path starts (usually the Objects folder).</param>
/// <param name="Elements">The browse names along the path.</param>
public sealed record BrowsePathSpec(NodeId StartNode, IReadOnlyList<BrowsePathElement> Elements)
{
    /// <summary>
    /// Parses <c>Objects/Plc/PartCount</c> (or <c>/Objects/...</c>): a leading <c>Objects</c> starts at the Objects
    /// folder, otherwise the path starts there anyway; each name is in <paramref name="namespaceUri"/> unless written
    /// <c>0:Name</c> (namespace 0, the standard nodes such as <c>0:Server</c>).
    /// </summary>
    public static BrowsePathSpec Parse(string path, string? namespaceUri)
    {
        ArgumentNullException.ThrowIfNull(path);
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length > 0 && (parts[0] == "Objects" || parts[0] == "0:Objects"))
        {
            parts = parts[1..];
        }

        if (parts.Length == 0)
        {
            throw new FormatException($"Browse path '{path}' names no node below Objects.");
        }

        var elements = parts.Select(p => p.StartsWith("0:", StringComparison.Ordinal)
            ? new BrowsePathElement(p[2..], null)
            : new BrowsePathElement(p, namespaceUri ?? throw new FormatException($"Browse path '{path}': element '{p}' needs a namespaceUri (or a 0: prefix)."))).ToArray();
        return new BrowsePathSpec(WellKnownNodes.ObjectsFolder, elements);
    }

    /// <inheritdoc />
    public override string ToString() => "Objects/" + string.Join('/', Elements.Select(e => e.NamespaceUri is null ? "0:" + e.Name : e.Name));
}

/// <summary>One browse name of a <see cref="BrowsePathSpec"/>.</summary>
/// <param name="Name">The browse name.</param>
/// <param name="NamespaceUri">Its namespace URI; null for namespace 0.</param>
public sealed record BrowsePathElement(string Name, string? NamespaceUri);
