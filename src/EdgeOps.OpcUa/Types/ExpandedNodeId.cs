using System.Globalization;

namespace EdgeOps.OpcUa.Types;

/// <summary>
/// A NodeId that may name its namespace by URI and live on another server (Part 6 §5.2.2.10). References in
/// browse results use it.
/// </summary>
/// <param name="NodeId">The node id; its namespace index is ignored by the server when <paramref name="NamespaceUri"/> is set.</param>
/// <param name="NamespaceUri">The namespace URI, or null.</param>
/// <param name="ServerIndex">Index into the server's ServerArray; 0 is the local server.</param>
public sealed record ExpandedNodeId(NodeId NodeId, string? NamespaceUri = null, uint ServerIndex = 0)
{
    /// <summary>The null ExpandedNodeId.</summary>
    public static ExpandedNodeId Null { get; } = new(NodeId.Null);

    /// <summary>True when the node is on this server and the namespace is given by index.</summary>
    public bool IsLocal => NamespaceUri is null && ServerIndex == 0;

    /// <summary>
    /// The local NodeId, mapping a namespace URI to its index through <paramref name="namespaces"/>; null when the
    /// node is on another server or the URI is not in the table.
    /// </summary>
    public NodeId? ToNodeId(IReadOnlyList<string>? namespaces = null)
    {
        if (ServerIndex != 0)
        {
            return null;
        }

        if (NamespaceUri is null)
        {
            return NodeId;
        }

        var index = namespaces is null ? -1 : IndexOf(namespaces, NamespaceUri);
        if (index < 0)
        {
            return null;
        }

        var ns = (ushort)index;
        return NodeId.IdType switch
        {
            NodeIdType.Numeric => NodeId.FromNumeric(NodeId.Numeric, ns),
            NodeIdType.String => NodeId.FromString(NodeId.StringId!, ns),
            NodeIdType.Guid => NodeId.FromGuid(NodeId.GuidId!.Value, ns),
            _ => NodeId.FromOpaque(NodeId.OpaqueBytes, ns),
        };
    }

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count && i <= ushort.MaxValue; i++)
        {
            if (string.Equals(list[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var server = ServerIndex == 0 ? string.Empty : $"svr={ServerIndex.ToString(CultureInfo.InvariantCulture)};";
        if (NamespaceUri is null)
        {
            return server + NodeId;
        }

        var local = NodeId.ToString();
        var semi = NodeId.NamespaceIndex == 0 ? -1 : local.IndexOf(';', StringComparison.Ordinal);
        return $"{server}nsu={NamespaceUri};{local[(semi + 1)..]}";
    }
}
