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
        var endpoints = NamedItemList.Parse(node, keyPath, context, "endpoints", "endpoint",
            ["name", "url", "usernameEnv", "passwordEnv", "publishingInterval", "samplingInterval", "queueSize",
                "securityMode", "securityPolicy", "serverThumbprint", "checkServerHostName", "allowPlaintextPassword", "allowBasic128Rsa15"],
            (e, name, _) => Endpoint(e, name, context));
        return endpoints is null ? sources : sources with { OpcUa = new OpcUaSourceDefinition { Endpoints = endpoints } };
    }

    private static OpcUaEndpointDefinition? Endpoint(MappingReader e, string? name, ConfigContext context)
    {
        var url = e.String("url", required: true);
        if (url is not null && !url.StartsWith("opc.tcp://", StringComparison.Ordinal))
        {
            context.Error(e.Get("url"), e.PathOf("url"), $"'{url}' is not an OPC UA TCP endpoint (expected opc.tcp://host:port[/path])");
            url = null;
        }

        if (name is null || url is null)
        {
            return null;
        }

        var mode = OneOf(e, "securityMode", context, ["None", "Sign", "SignAndEncrypt"]);
        var policy = OneOf(e, "securityPolicy", context, ["None", "Basic256Sha256", "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss"]);
        if (mode == "None" && policy is not null && policy != "None" || mode is "Sign" or "SignAndEncrypt" && policy == "None")
        {
            context.Error(e.Get("securityPolicy"), e.PathOf("securityPolicy"), $"securityPolicy '{policy}' does not go with securityMode '{mode}'");
        }

        var thumbprint = e.String("serverThumbprint")?.Replace(":", string.Empty, StringComparison.Ordinal);
        if (thumbprint is not null && (thumbprint.Length != 40 || !thumbprint.All(char.IsAsciiHexDigit)))
        {
            context.Error(e.Get("serverThumbprint"), e.PathOf("serverThumbprint"), $"'{thumbprint}' is not a SHA-1 thumbprint (40 hex digits)");
            thumbprint = null;
        }

        var defaults = new OpcUaEndpointDefinition { Name = name, Url = url };
        return defaults with
        {
            UsernameEnv = e.String("usernameEnv"),
            PasswordEnv = e.String("passwordEnv"),
            PublishingInterval = e.Duration("publishingInterval") ?? defaults.PublishingInterval,
            SamplingInterval = e.Duration("samplingInterval", allowZero: true) ?? defaults.SamplingInterval,
            QueueSize = (uint?)e.Integer("queueSize", 1, 10_000) ?? defaults.QueueSize,
            SecurityMode = mode,
            SecurityPolicy = policy,
            ServerThumbprint = thumbprint,
            CheckServerHostName = e.Bool("checkServerHostName") ?? true,
            AllowPlaintextPassword = e.Bool("allowPlaintextPassword") ?? false,
            AllowBasic128Rsa15 = e.Bool("allowBasic128Rsa15") ?? false,
        };
    }

    private static string? OneOf(MappingReader e, string key, ConfigContext context, string[] allowed)
    {
        var value = e.String(key);
        if (value is null || allowed.Contains(value, StringComparer.Ordinal))
        {
            return value;
        }

        context.Error(e.Get(key), e.PathOf(key), $"'{value}' is not one of {string.Join(", ", allowed)}");
        return null;
    }
}
