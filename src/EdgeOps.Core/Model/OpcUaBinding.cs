namespace EdgeOps.Core.Model;

/// <summary>
/// A signal read from an OPC UA server: <c>source: { opcua: { endpoint: plc1, node: "ns=2;s=Plc.PartCount" } }</c>,
/// or by browse path: <c>{ endpoint: plc1, browsePath: "Objects/Line1/PartCount", namespaceUri: "urn:plc1" }</c>.
/// Exactly one of <see cref="Node"/> and <see cref="BrowsePath"/> is set.
/// </summary>
public sealed record OpcUaBinding : SourceBinding
{
    public override string Kind => "opcua";

    /// <summary>Name of an endpoint in <see cref="OpcUaSourceDefinition.Endpoints"/>.</summary>
    public required string Endpoint { get; init; }

    /// <summary>Node id in text form (<c>ns=2;s=Plc.PartCount</c>, <c>i=2258</c>); null when bound by browse path.</summary>
    public string? Node { get; init; }

    /// <summary>Browse path below the Objects folder (<c>Objects/Line1/PartCount</c>; <c>0:Name</c> for namespace 0).</summary>
    public string? BrowsePath { get; init; }

    /// <summary>
    /// The namespace the node id or the path's names belong to. When set, the node id's <c>ns=</c> index is replaced by
    /// this URI's index on the server (indexes are server-local and can change with a PLC download).
    /// </summary>
    public string? NamespaceUri { get; init; }

    /// <summary>Sampling interval for this signal; null uses the endpoint's.</summary>
    public TimeSpan? SamplingInterval { get; init; }

    /// <summary>Absolute deadband for analog signals (engineering units); null or 0 reports every change.</summary>
    public double? Deadband { get; init; }
}
