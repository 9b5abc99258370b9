using EdgeOps.Core.Model;
using EdgeOps.OpcUa.Types;
using EdgeOps.Gateway.Configuration.Bindings;
using YamlDotNet.RepresentationModel;

namespace EdgeOps.Gateway.Configuration.OpcUa;

/// <summary>
/// <c>source: { opcua: { endpoint: plc1, node: "ns=2;s=Plc.PartCount" } }</c> or
/// <c>{ endpoint: plc1, browsePath: "Objects/Line1/PartCount", namespaceUri: "urn:plc1" }</c>.
/// A node id that does not parse is an error naming the key, at start-up, not a Bad value at run time.
/// </summary>
internal sealed class OpcUaBindingParser : IBindingParser
{
    public string Kind => "opcua";

    public SourceBinding? Parse(YamlNode node, string keyPath, ConfigContext context)
    {
        var map = MappingReader.Open(node, keyPath, context, "endpoint", "node", "browsePath", "namespaceUri", "samplingInterval", "deadband");
        if (map is null)
        {
            return null;
        }

        var endpoint = map.String("endpoint", required: true);
        var nodeText = map.String("node");
        var browsePath = map.String("browsePath");
        if ((nodeText is null) == (browsePath is null))
        {
            context.Error(node, keyPath, "give exactly one of 'node' (a node id such as ns=2;s=Plc.PartCount) and 'browsePath'");
            return null;
        }

        if (nodeText is not null && !NodeId.TryParse(nodeText, out _, out var error))
        {
            context.Error(map.Get("node"), map.PathOf("node"), $"'{nodeText}' is not an OPC UA node id: {error}");
            return null;
        }

        if (endpoint is null)
        {
            return null;
        }

        return new OpcUaBinding
        {
            Endpoint = endpoint,
            Node = nodeText,
            BrowsePath = browsePath,
            NamespaceUri = map.String("namespaceUri"),
            SamplingInterval = map.Duration("samplingInterval"),
            Deadband = map.Double("deadband", 0),
        };
    }
}
