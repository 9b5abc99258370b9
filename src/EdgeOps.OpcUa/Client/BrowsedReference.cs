using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Client;

/// <summary>One reference returned by Browse: the target node and how it is named.</summary>
/// <param name="NodeId">The target node.</param>
/// <param name="BrowseName">Its browse name.</param>
/// <param name="DisplayName">Its display name.</param>
/// <param name="NodeClass">Its node class.</param>
/// <param name="ReferenceTypeId">The reference type.</param>
/// <param name="TypeDefinition">Its type definition (objects and variables).</param>
public sealed record BrowsedReference(ExpandedNodeId NodeId, QualifiedName BrowseName, LocalizedText DisplayName, NodeClass NodeClass,
    NodeId ReferenceTypeId, ExpandedNodeId TypeDefinition);
