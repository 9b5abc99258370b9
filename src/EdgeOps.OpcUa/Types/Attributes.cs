namespace EdgeOps.OpcUa.Types;

/// <summary>Attribute ids (Part 6 Annex A.1) this client reads.</summary>
public static class Attributes
{
    /// <summary>NodeId.</summary>
    public const uint NodeId = 1;
    /// <summary>NodeClass.</summary>
    public const uint NodeClass = 2;
    /// <summary>BrowseName.</summary>
    public const uint BrowseName = 3;
    /// <summary>DisplayName.</summary>
    public const uint DisplayName = 4;
    /// <summary>Description.</summary>
    public const uint Description = 5;
    /// <summary>Value.</summary>
    public const uint Value = 13;
    /// <summary>DataType.</summary>
    public const uint DataType = 14;
    /// <summary>ValueRank.</summary>
    public const uint ValueRank = 15;
    /// <summary>AccessLevel.</summary>
    public const uint AccessLevel = 17;
}

/// <summary>Which timestamps the server returns with values.</summary>
public enum TimestampsToReturn
{
    /// <summary>Source timestamp only.</summary>
    Source = 0,
    /// <summary>Server timestamp only.</summary>
    Server = 1,
    /// <summary>Both.</summary>
    Both = 2,
    /// <summary>Neither.</summary>
    Neither = 3,
}

/// <summary>Node classes (Part 3 §8.29); a mask in browse requests.</summary>
[Flags]
public enum NodeClass
{
    /// <summary>Unspecified.</summary>
    Unspecified = 0,
    /// <summary>Object.</summary>
    Object = 1,
    /// <summary>Variable.</summary>
    Variable = 2,
    /// <summary>Method.</summary>
    Method = 4,
    /// <summary>ObjectType.</summary>
    ObjectType = 8,
    /// <summary>VariableType.</summary>
    VariableType = 16,
    /// <summary>ReferenceType.</summary>
    ReferenceType = 32,
    /// <summary>DataType.</summary>
    DataType = 64,
    /// <summary>View.</summary>
    View = 128,
}

/// <summary>Well-known nodes of namespace 0 (from NodeIds.csv).</summary>
public static class WellKnownNodes
{
    /// <summary>RootFolder (i=84).</summary>
    public static NodeId RootFolder { get; } = NodeId.FromNumeric(84);
    /// <summary>ObjectsFolder (i=85).</summary>
    public static NodeId ObjectsFolder { get; } = NodeId.FromNumeric(85);
    /// <summary>Server object (i=2253).</summary>
    public static NodeId Server { get; } = NodeId.FromNumeric(2253);
    /// <summary>Server_NamespaceArray (i=2255).</summary>
    public static NodeId NamespaceArray { get; } = NodeId.FromNumeric(2255);
    /// <summary>Server_ServerStatus_State (i=2259).</summary>
    public static NodeId ServerState { get; } = NodeId.FromNumeric(2259);
    /// <summary>Server_ServerStatus_CurrentTime (i=2258).</summary>
    public static NodeId CurrentTime { get; } = NodeId.FromNumeric(2258);
    /// <summary>Server_ServerDiagnostics_ServerDiagnosticsSummary_CurrentSessionCount (i=2277).</summary>
    public static NodeId CurrentSessionCount { get; } = NodeId.FromNumeric(2277);
    /// <summary>OperationLimits MaxNodesPerRead (i=11705).</summary>
    public static NodeId MaxNodesPerRead { get; } = NodeId.FromNumeric(11705);
    /// <summary>OperationLimits MaxNodesPerWrite (i=11707).</summary>
    public static NodeId MaxNodesPerWrite { get; } = NodeId.FromNumeric(11707);
    /// <summary>OperationLimits MaxNodesPerMethodCall (i=11709).</summary>
    public static NodeId MaxNodesPerMethodCall { get; } = NodeId.FromNumeric(11709);
    /// <summary>OperationLimits MaxNodesPerBrowse (i=11710).</summary>
    public static NodeId MaxNodesPerBrowse { get; } = NodeId.FromNumeric(11710);
    /// <summary>OperationLimits MaxNodesPerTranslateBrowsePathsToNodeIds (i=11712).</summary>
    public static NodeId MaxNodesPerTranslate { get; } = NodeId.FromNumeric(11712);
    /// <summary>OperationLimits MaxMonitoredItemsPerCall (i=11714).</summary>
    public static NodeId MaxMonitoredItemsPerCall { get; } = NodeId.FromNumeric(11714);
    /// <summary>HierarchicalReferences (i=33).</summary>
    public static NodeId HierarchicalReferences { get; } = NodeId.FromNumeric(33);
}
