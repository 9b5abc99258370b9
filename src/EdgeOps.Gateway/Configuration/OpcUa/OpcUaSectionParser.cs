using EdgeOps.Core.Model;
using EdgeOps.Gateway.Configuration.Sources;
using YamlDotNet.RepresentationModel;

namespace EdgeOps.Gateway.Configuration.OpcUa;

/// <summary>
/// <c>sources: opcua: { endpoints: [ { name: plc1, url: "opc.tcp://10.0.0.5:4840", usernameEnv: PLC1_USER,
/// passwordEnv: PLC1_PASSWORD, publishingInterval: 500ms, samplingInterval: 100ms, queueSize: 10 } ] }</c>.
/// Credentials are named by environment variable, never written in the file.
/// </summary>
internal sealed class OpcUaSectionParser : ISourcesSectionParser
{
    public string Key => "opcua";

    public SourcesDefinition Parse(YamlNode node, string keyPath, SourcesDefinition sources, ConfigContext context)
    {
        var map = MappingReader.Open(node, keyPath, context, "endpoints");
        var list = map?.Sequence("endpoints", required: true);
        if (list is null)
        {
            return sources;
        }

        var endpoints = new List<OpcUaEndpointDefinition>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"{map!.PathOf("endpoints")}[{i}]";
            var e = MappingReader.Open(list.Children[i], path, context,
                "name", "url", "usernameEnv", "passwordEnv", "publishingInterval", "samplingInterval", "queueSize");
            if (e is null)
            {
                continue;
            }

            var name = e.Id("name", required: true);
            var url = e.String("url", required: true);
            if (url is not null && !url.StartsWith("opc.tcp://", StringComparison.Ordinal))
            {
                context.Error(e.Get("url"), e.PathOf("url"), $"'{url}' is not an OPC UA TCP endpoint (expected opc.tcp://host:port[/path])");
                url = null;
            }

            if (name is not null && !names.Add(name))
            {
                context.Error(e.Get("name"), e.PathOf("name"), $"endpoint '{name}' is defined twice");
            }

            if (name is null || url is null)
            {
                continue;
            }

            var defaults = new OpcUaEndpointDefinition { Name = name, Url = url };
            endpoints.Add(defaults with
            {
                UsernameEnv = e.String("usernameEnv"),
                PasswordEnv = e.String("passwordEnv"),
                PublishingInterval = e.Duration("publishingInterval") ?? defaults.PublishingInterval,
                SamplingInterval = e.Duration("samplingInterval", allowZero: true) ?? defaults.SamplingInterval,
                QueueSize = (uint?)e.Integer("queueSize", 1, 10_000) ?? defaults.QueueSize,
            });
        }

        return sources with { OpcUa = new OpcUaSourceDefinition { Endpoints = endpoints } };
    }
}
